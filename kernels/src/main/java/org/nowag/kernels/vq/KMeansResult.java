package org.nowag.kernels.vq;

/** What weighted k-means returns: one code per subvector, the K x d codebook, and its loss history. */
public final class KMeansResult {
    /** Code of subvector g, in [0, k). */
    public final int[] codes;
    /** k x d centroids, row-major. */
    public final float[] codebook;
    public final int k;
    public final int d;
    /** Loss after each assignment step, with the codebook that step used; never increases. */
    public final double[] lossPerIteration;
    /** Loss of the returned codes with the returned codebook (after the last update). */
    public final double finalLoss;
    public final int iterations;
    /** True when an assignment changed no code before the iteration limit. */
    public final boolean converged;

    KMeansResult(int[] codes, float[] codebook, int k, int d, double[] lossPerIteration, double finalLoss,
                 int iterations, boolean converged) {
        this.codes = codes;
        this.codebook = codebook;
        this.k = k;
        this.d = d;
        this.lossPerIteration = lossPerIteration;
        this.finalLoss = finalLoss;
        this.iterations = iterations;
        this.converged = converged;
    }
}
