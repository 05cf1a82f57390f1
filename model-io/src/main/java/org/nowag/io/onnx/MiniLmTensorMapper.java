package org.nowag.io.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.TensorSpec;

/**
 * Matches the ONNX initializers to the HF BertModel tensors of {@link MiniLmArchitecture}: anonymous MatMul weights
 * get their module's name and are transposed, named initializers keep their names. The result must be exactly the
 * expected set with the expected dtypes and shapes; every mismatch is listed in one exception.
 */
final class MiniLmTensorMapper {
    private static final int MAX_LISTED = 20;

    private MiniLmTensorMapper() {}

    /** The tensors to write, in {@link MiniLmArchitecture#tensors()} order. */
    static List<MappedTensor> map(OnnxGraph graph) throws OnnxFormatException {
        Map<String, String> matMulNames = MatMulWeightNames.resolve(graph);
        Map<String, TensorSpec> expected = new LinkedHashMap<>();
        for (TensorSpec spec : MiniLmArchitecture.tensors()) expected.put(spec.name(), spec);

        Map<String, MappedTensor> found = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        // Names already reported (wrong shape, layout, ...) are not reported a second time as missing.
        Set<String> reported = new HashSet<>();
        for (OnnxInitializer t : graph.initializers()) {
            boolean transposed = matMulNames.containsKey(t.name());
            String hfName = transposed ? matMulNames.get(t.name()) : t.name();
            String from = transposed ? " (from '" + t.name() + "')" : "";
            TensorSpec spec = expected.get(hfName);
            if (spec == null) {
                problems.add("unexpected tensor '" + hfName + "'" + from + ": not part of all-MiniLM-L6-v2");
                continue;
            }
            if (found.containsKey(hfName)) {
                reported.add(hfName);
                problems.add("two initializers map to '" + hfName + "': '" + found.get(hfName).source().name()
                        + "' and '" + t.name() + "'");
                continue;
            }
            if (transposed != MiniLmArchitecture.isLinearWeight(hfName)) {
                // A Linear weight must come from a MatMul constant (stored [in, out]); anything else must not.
                reported.add(hfName);
                problems.add("'" + hfName + "'" + from + (transposed
                        ? " came from a MatMul weight but is not a Linear weight"
                        : " is a Linear weight but was not found as a MatMul input, so its layout is unknown"));
                continue;
            }
            DType dtype = t.dtype();
            long[] hfShape = transposed ? reversed(t.dims()) : t.dims();
            if (dtype != spec.dtype() || !Arrays.equals(hfShape, spec.shape())) {
                reported.add(hfName);
                problems.add("'" + hfName + "'" + from + " is " + (dtype == null ? "ONNX type " + t.dataType() : dtype)
                        + " " + Arrays.toString(hfShape) + (transposed ? " after transposition" : "") + ", expected "
                        + spec.dtype() + " " + Arrays.toString(spec.shape()));
                continue;
            }
            found.put(hfName, new MappedTensor(spec, t, transposed));
        }
        List<MappedTensor> ordered = new ArrayList<>();
        for (String name : expected.keySet()) {
            MappedTensor m = found.get(name);
            if (m == null) {
                if (!reported.contains(name)) problems.add("missing tensor '" + name + "'");
            } else {
                ordered.add(m);
            }
        }
        if (!problems.isEmpty()) {
            // Another model's file would list every tensor; the first lines are enough to see what went wrong.
            List<String> shown = problems.subList(0, Math.min(problems.size(), MAX_LISTED));
            throw new OnnxFormatException("the ONNX graph does not match all-MiniLM-L6-v2 (" + problems.size()
                    + " problem(s)):\n  " + String.join("\n  ", shown)
                    + (problems.size() > shown.size() ? "\n  ... and " + (problems.size() - shown.size()) + " more" : ""));
        }
        return ordered;
    }

    private static long[] reversed(long[] dims) {
        long[] r = new long[dims.length];
        for (int i = 0; i < dims.length; i++) r[i] = dims[dims.length - 1 - i];
        return r;
    }
}
