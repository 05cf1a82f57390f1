package org.nowag.job.method;

import org.nowag.kernels.simd.Simd;
import org.nowag.kernels.simd.VectorLoops;

/**
 * A tensor holds a NaN or infinite weight, which no method can rank or fit. Thrown on an executor from {@link
 * TensorWork#readRows}; the shard task abandons its shard and tells the driver, which refuses the run or, with
 * --skip-nonfinite, writes the tensor unchanged.
 */
public final class NonFiniteWeights extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final String tensor;
    public final String why;

    public NonFiniteWeights(String tensor, String why) {
        super(tensor + ": " + why);
        this.tensor = tensor;
        this.why = why;
    }

    /** Throws for the first non-finite value of w, rows [rowStart, ...) of a tensor with cols columns. */
    public static void check(String tensor, float[] w, long rowStart, long cols) {
        for (int i = Simd.ENABLED ? VectorLoops.finitePrefix(w) : 0; i < w.length; i++) {
            if (!Float.isFinite(w[i])) {
                long index = rowStart * cols + i;
                throw new NonFiniteWeights(tensor, "weight [" + index / cols + ", " + index % cols + "] is " + w[i]);
            }
        }
    }
}
