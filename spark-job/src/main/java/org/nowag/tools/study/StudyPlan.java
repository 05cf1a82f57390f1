package org.nowag.tools.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows a study runs, in table order: dense; magnitude, Wanda, SparseGPT, NoWag-P at the unstructured sparsity
 * and at 2:4; ARMOR 2:4; NoWag-VQ at each bit width; RTN INT2..4. {@code only} (row ids) keeps a subset.
 */
final class StudyPlan {
    static final String[] PRUNERS = {"magnitude", "wanda", "sparsegpt", "nowag-p"};

    private StudyPlan() {}

    /**
     * @param inputWidths d_in of every matrix the methods compress, with its element count (d_out * d_in)
     */
    static List<StudyRow> rows(double sparsity, int[] vqBits, int vqMaxDim, int[] rtnBits, Map<Long, Long> inputWidths,
                               List<String> only) {
        Map<String, StudyRow> all = new LinkedHashMap<>();
        put(all, StudyRow.dense());
        for (String m : PRUNERS) put(all, StudyRow.unstructured(m, sparsity));
        for (String m : PRUNERS) put(all, StudyRow.twoOfFour(m));
        put(all, StudyRow.twoOfFour("armor"));
        for (int b : vqBits) put(all, StudyRow.vq(b, vqDim(b, vqMaxDim, inputWidths)));
        for (int b : rtnBits) put(all, StudyRow.rtn(b));
        if (only == null || only.isEmpty()) return new ArrayList<>(all.values());
        List<StudyRow> out = new ArrayList<>();
        for (String id : only) {
            StudyRow r = all.get(id.trim());
            if (r == null) throw new IllegalArgumentException("--rows: unknown row '" + id + "'; rows are " + all.keySet());
            out.add(r);
        }
        return out;
    }

    private static void put(Map<String, StudyRow> all, StudyRow r) { all.put(r.id, r); }

    /**
     * NoWag-VQ's subvector length for {@code bits} per weight: the largest d <= maxDim that divides every d_in
     * (NoWag-VQ cuts rows into d-long pieces) and leaves each matrix at least 4 subvectors per centroid
     * (K = 2^(bits * d) <= numel / (4 d)); otherwise k-means degenerates into copying the matrix into its codebook,
     * whose 16-bit entries then cost more bits than the codes. The paper's d = 6 (K = 4096 at 2 bits) is chosen on
     * any model whose widths 6 divides and whose matrices hold >= 4 * 6 * 4096 weights; a small model gets less.
     */
    static int vqDim(int bits, int maxDim, Map<Long, Long> inputWidths) {
        for (int d = maxDim; d >= 1; d--) {
            boolean fits = (long) bits * d <= org.nowag.kernels.vq.VqConfig.MAX_CODE_BITS;
            for (Map.Entry<Long, Long> e : inputWidths.entrySet()) {
                if (!fits) break;
                fits = e.getKey() % d == 0 && (1L << (bits * d)) * 4L * d <= e.getValue();
            }
            if (fits) return d;
        }
        throw new IllegalArgumentException("no NoWag-VQ subvector length fits " + bits + " bits on this model's matrices");
    }
}
