package org.nowag.io.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recovers the HF names of Linear weights that the PyTorch ONNX exporter left anonymous. The exporter folds each
 * nn.Linear weight into a fresh constant {@code onnx::MatMul_NNN} (already transposed to [in, out]) and names the
 * consuming node after the module path, so {@code /encoder/layer.0/attention/self/query/MatMul} identifies
 * {@code encoder.layer.0.attention.self.query.weight}.
 */
final class MatMulWeightNames {
    /** Prefix of the PyTorch exporter's generated names; any other initializer name is a real parameter name. */
    static final String ANONYMOUS_PREFIX = "onnx::";

    private static final String MATMUL = "MatMul";
    private static final String NODE_SUFFIX = "/" + MATMUL;

    private MatMulWeightNames() {}

    static boolean isAnonymous(String initializerName) {
        return initializerName.startsWith(ANONYMOUS_PREFIX);
    }

    /**
     * Anonymous initializer name -> HF weight name, for every anonymous initializer in the graph. Each must feed
     * exactly one MatMul as its right operand (x·W, so W is [in, out]); otherwise the mapping would be a guess, and
     * every such initializer is reported in one exception.
     */
    static Map<String, String> resolve(OnnxGraph graph) throws OnnxFormatException {
        Map<String, List<Use>> uses = new HashMap<>();
        for (OnnxNode node : graph.nodes()) {
            List<String> inputs = node.inputs();
            for (int i = 0; i < inputs.size(); i++) {
                uses.computeIfAbsent(inputs.get(i), k -> new ArrayList<>()).add(new Use(node, i));
            }
        }
        Map<String, String> names = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (OnnxInitializer t : graph.initializers()) {
            if (!isAnonymous(t.name())) continue;
            List<Use> consumers = uses.getOrDefault(t.name(), List.of());
            String problem = null;
            if (consumers.size() != 1) {
                problem = "is consumed by " + consumers.size() + " nodes " + consumers + ", expected exactly one MatMul";
            } else {
                Use use = consumers.get(0);
                if (!MATMUL.equals(use.node.opType()) || use.input != 1) {
                    problem = "is input " + use.input + " of " + use + ", expected input 1 of a MatMul";
                } else if (t.dims().length != 2) {
                    problem = "has " + t.dims().length + " dims, expected a 2-D weight";
                } else {
                    String hf = hfWeightName(use.node.name());
                    if (hf == null) {
                        problem = "feeds MatMul '" + use.node.name() + "', whose name is not /<module path>/MatMul";
                    } else {
                        names.put(t.name(), hf);
                    }
                }
            }
            if (problem != null) problems.add("initializer '" + t.name() + "' " + problem);
        }
        if (!problems.isEmpty()) {
            throw new OnnxFormatException("cannot name " + problems.size() + " anonymous MatMul weight(s):\n  "
                    + String.join("\n  ", problems));
        }
        return names;
    }

    /** "/encoder/layer.0/output/dense/MatMul" -> "encoder.layer.0.output.dense.weight"; null if not that shape. */
    static String hfWeightName(String nodeName) {
        if (!nodeName.startsWith("/") || !nodeName.endsWith(NODE_SUFFIX) || nodeName.length() <= NODE_SUFFIX.length() + 1) {
            return null;
        }
        String path = nodeName.substring(1, nodeName.length() - NODE_SUFFIX.length());
        if (path.isEmpty() || path.contains("//")) return null;
        return path.replace('/', '.') + ".weight";
    }

    private static final class Use {
        final OnnxNode node;
        final int input;

        Use(OnnxNode node, int input) {
            this.node = node;
            this.input = input;
        }

        @Override
        public String toString() {
            return node.opType() + " '" + node.name() + "'";
        }
    }
}
