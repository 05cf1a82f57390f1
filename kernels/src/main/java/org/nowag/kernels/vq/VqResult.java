package org.nowag.kernels.vq;

/** One matrix quantized by NoWag-VQ: what is stored (codes, codebook, norms) and what it cost. */
public final class VqResult {
    public final int rows;
    public final int cols;
    public final int dim;
    /** Centroids actually used: min(K, number of subvectors). */
    public final int codebookSize;
    public final int codeBits;
    /** One code per subvector, row-major: subvector (i, b) covers inputs b*d .. b*d + d - 1 of row i. */
    public final int[] codes;
    /** codebookSize x dim, as stored (binary16-rounded when halfStorage). */
    public final float[] codebook;
    /** r (d_out) and c (d_in), as stored. */
    public final float[] rowNorms;
    public final float[] colNorms;
    public final boolean halfStorage;
    public final KMeansResult kMeans;
    /** sum s_j (W_bar - Q)^2 with the stored codebook. */
    public final double proxyLoss;
    /** sum s_j W_bar^2: the loss of an all-zero Q. */
    public final double proxyEnergy;
    /** sum s_j (W - W_hat)^2 in the original space. */
    public final double dataAwareLoss;

    VqResult(int rows, int cols, int dim, int[] codes, float[] codebook, float[] rowNorms, float[] colNorms,
             boolean halfStorage, KMeansResult kMeans, double proxyLoss, double proxyEnergy, double dataAwareLoss) {
        this.rows = rows;
        this.cols = cols;
        this.dim = dim;
        this.codebookSize = codebook.length / dim;
        this.codeBits = VqConfig.codeBits(codebookSize);
        this.codes = codes;
        this.codebook = codebook;
        this.rowNorms = rowNorms;
        this.colNorms = colNorms;
        this.halfStorage = halfStorage;
        this.kMeans = kMeans;
        this.proxyLoss = proxyLoss;
        this.proxyEnergy = proxyEnergy;
        this.dataAwareLoss = dataAwareLoss;
    }

    public float[] wHat() {
        return VqDecoder.decode(codes, codebook, dim, rows, cols, rowNorms, colNorms);
    }

    private long weights() { return (long) rows * cols; }
    private int storedFloatBits() { return halfStorage ? 16 : 32; }

    /** Codes: codeBits per subvector. */
    public double codeBitsPerWeight() { return (double) codes.length * codeBits / weights(); }
    public double codebookBitsPerWeight() { return (double) codebook.length * storedFloatBits() / weights(); }
    public double normBitsPerWeight() { return (double) (rows + cols) * storedFloatBits() / weights(); }
    /** Everything stored, in bits: codes + codebook + norms (what a bit budget counts). */
    public long storedBits() {
        return (long) codes.length * codeBits + ((long) codebook.length + rows + cols) * storedFloatBits();
    }

    /** Everything stored: codes + codebook + norms. */
    public double bitsPerWeight() { return codeBitsPerWeight() + codebookBitsPerWeight() + normBitsPerWeight(); }
}
