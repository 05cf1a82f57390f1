package org.nowag.kernels.budget;

import java.util.ArrayList;
import java.util.List;
import org.nowag.kernels.vq.NoWagVq;
import org.nowag.kernels.vq.VqConfig;
import org.nowag.kernels.vq.VqGeometry;
import org.nowag.kernels.vq.VqResult;

/**
 * NoWag-VQ's cost curve for a bit budget: one short run per candidate code width. For b code bits per weight at
 * the run's subvector length d the codebook has K = 2^(b*d) centroids (the reference's n_bits); the cost is what is
 * stored for it (codes + F16/F32 codebook + norms, {@link VqResult#storedBits()}), the loss the run's data-aware
 * loss Σ s_j (W - Ŵ)² (comparable across matrices). A candidate is feasible when b*d is at most
 * {@link VqConfig#MAX_CODE_BITS} and K is at most the matrix's subvectors: with more centroids than subvectors the
 * codebook would hold the matrix itself (the plug-in caps K there), and its storage would dominate.
 */
public final class VqBitCurve {
    /** Code widths tried: 1..4 bits per weight, where feasible. */
    public static final int[] DEFAULT_BITS = {1, 2, 3, 4};
    /** k-means iterations of a curve's short runs (never more than the run's own --vq-iters). */
    public static final int DEFAULT_ITERATIONS = 5;

    private VqBitCurve() {}

    /** The code widths of {@code wanted} (ascending, each once) that a rows x cols matrix can take at dimension dim. */
    public static int[] feasible(int rows, int cols, int dim, int[] wanted) {
        long subvectors = (long) rows * ((cols + dim - 1) / dim);
        return java.util.Arrays.stream(wanted).distinct().sorted()
                .filter(b -> b >= 1 && (long) b * dim <= VqConfig.MAX_CODE_BITS && (1L << (b * dim)) <= subvectors)
                .toArray();
    }

    /** The run's configuration with K = 2^(bits*dim) and at most {@code iterations} k-means iterations. */
    public static VqConfig config(VqConfig base, int bits, int iterations) {
        return new VqConfig(base.dim, 1 << (bits * base.dim), Math.min(iterations, base.maxIterations), base.seed,
                base.halfStorage, base.blockSubvectors, base.initSample);
    }

    /** Bits stored for a rows x cols matrix with K centroids of dimension dim (as {@link VqResult#storedBits()}). */
    public static long storedBits(int rows, int cols, int dim, int k, boolean halfStorage) {
        long subvectors = (long) rows * ((cols + dim - 1) / dim);
        int floatBits = halfStorage ? 16 : 32;
        return subvectors * VqConfig.codeBits(k) + ((long) k * dim + rows + cols) * floatBits;
    }

    /** The label of a candidate: its code bits per weight (what {@link #bitsOf} reads back). */
    public static String label(int bits) {
        return Integer.toString(bits);
    }

    public static int bitsOf(String label) {
        return Integer.parseInt(label);
    }

    /**
     * The curve of one matrix: a discrete setting per feasible candidate, from a short seeded run each (same seed
     * as the run, so the same input gives the same curve).
     *
     * @param s diag(XᵀX) of the layer, or null (data-free: every input weighted 1)
     * @throws IllegalArgumentException naming the matrix when no candidate is feasible
     */
    public static CostCurve of(String name, float[] w, int rows, int cols, float[] s, VqConfig base, int[] bits,
                               int iterations, int threads) {
        int[] ok = feasible(rows, cols, base.dim, bits);
        if (ok.length == 0) {
            throw new IllegalArgumentException("matrix " + name + " (" + rows + " x " + cols + "): no code width of "
                    + java.util.Arrays.toString(bits) + " fits at subvector length " + base.dim + " (K = 2^(bits*d) "
                    + "must be at most its " + VqGeometry.of(rows, cols, base).subvectors() + " subvectors and 2^"
                    + VqConfig.MAX_CODE_BITS + ")");
        }
        List<CostCurve.Point> points = new ArrayList<>();
        for (int b : ok) {
            VqResult r = NoWagVq.quantize(w, rows, cols, s, config(base, b, iterations), threads);
            points.add(new CostCurve.Point(r.storedBits(), r.dataAwareLoss, label(b)));
        }
        return CostCurve.discrete(name, (long) rows * cols, points);
    }
}
