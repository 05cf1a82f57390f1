package org.nowag.io.card;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * config.json's top-level {@code sparsity_config} of a pruned output, in the field names of compressed-tensors'
 * {@code SparsityCompressionConfig}: format, targets, ignore, global_sparsity, sparsity_structure. The format is always
 * "dense": the weights are ordinary dense tensors with zeros, so the model loads unchanged. It is deliberately not
 * nested in a {@code quantization_config} with quant_method "compressed-tensors" (llm-compressor's layout): that would
 * make transformers require the compressed-tensors package to load a plain dense model. transformers keeps unknown
 * top-level keys as config attributes and otherwise ignores them.
 */
public final class SparsityConfig {
    public static final String KEY = "sparsity_config";

    private final List<String> targets;
    private final List<String> ignore;
    private final double globalSparsity;
    private final String structure;

    /**
     * @param prunedWeights the tensor names pruned (NAME.weight; written as module names, as compressed-tensors does)
     * @param leftDense 2-D weights the run saw but did not prune (non-finite ones, or outside --include)
     * @param globalSparsity zeros / weights over the pruned tensors
     * @param pattern the run's pattern as written by SparsityPattern ("2:4", "unstructured:0.5:row", ...)
     */
    public SparsityConfig(Collection<String> prunedWeights, Collection<String> leftDense, double globalSparsity,
                          String pattern) {
        if (!(globalSparsity >= 0 && globalSparsity <= 1)) {
            throw new IllegalArgumentException("global sparsity " + globalSparsity + " is not in [0, 1]");
        }
        this.targets = modules(prunedWeights);
        this.ignore = modules(leftDense);
        this.globalSparsity = globalSparsity;
        this.structure = structureOf(pattern);
    }

    /** "N:M" patterns keep their name (compressed-tensors writes "2:4"); everything else is "unstructured". */
    static String structureOf(String pattern) {
        if (pattern != null && pattern.matches("\\d+:\\d+")) return pattern;
        return "unstructured";
    }

    /** Module names of weights (q_proj.weight -> q_proj), sorted, each once. */
    static List<String> modules(Collection<String> weights) {
        TreeSet<String> out = new TreeSet<>();
        for (String w : weights) out.add(w.endsWith(".weight") ? w.substring(0, w.length() - ".weight".length()) : w);
        return new ArrayList<>(out);
    }

    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("format", "dense");
        targets.forEach(n.putArray("targets")::add);
        ignore.forEach(n.putArray("ignore")::add);
        n.put("global_sparsity", globalSparsity);
        n.put("sparsity_structure", structure);
        return n;
    }
}
