package org.nowag.kernels.vq;

import org.nowag.kernels.Checks;
import org.nowag.kernels.loss.ProxyLoss;
import org.nowag.kernels.norm.NoWagNormalizer;

/**
 * NoWag-VQ of one weight matrix W [d_out, d_in]: normalize (column norms, then row norms), cut each row of W_bar
 * into subvectors of d consecutive inputs, cluster them all with ONE codebook by s-weighted k-means
 * ({@link WeightedKMeans}), and store codes, codebook and norms. With ignore_norms (the reference's vq.yaml) the
 * k-means weights of input j are s_j alone.
 *
 * <p>The norms are rounded to their storage precision BEFORE normalizing, and W_bar is computed with the rounded
 * norms; so the proxy loss the k-means minimises is exactly the normalized-space error of the W_hat that decodes
 * from the stored tensors.
 */
public final class NoWagVq {
    private NoWagVq() {}

    /** @param s diag(X^T X) of this layer (length d_in), or null for data-free (every input weighted 1). */
    public static VqResult quantize(float[] w, int rows, int cols, float[] s, VqConfig config) {
        Checks.matrix(w, rows, cols, "w");
        Checks.activationDiagonal(s, cols);
        int d = config.dim;
        if (cols % d != 0) {
            throw new IllegalArgumentException("d_in=" + cols + " is not divisible by the VQ subvector dimension " + d
                    + "; choose a --vq-dim that divides every selected tensor's input size");
        }
        double[] colSumSquares = new double[cols];
        NoWagNormalizer.accumulateColumnSumSquares(w, rows, cols, colSumSquares);
        float[] c = NoWagNormalizer.columnNorms(colSumSquares);
        if (config.halfStorage) HalfPrecision.roundAll(c, "column norms");
        float[] r = NoWagNormalizer.rowNorms(w, rows, cols, c);
        if (config.halfStorage) HalfPrecision.roundAll(r, "row norms");
        float[] wBar = NoWagNormalizer.normalize(w, rows, cols, c, r);

        float[] weights = s != null ? s.clone() : ones(cols);
        // Row-major W_bar is already the n x d subvector matrix; subvector g's inputs are group g % (d_in / d).
        KMeansResult km = WeightedKMeans.run(wBar, d, weights, cols / d, config.codebookSize, config.maxIterations, config.seed);
        float[] codebook = km.codebook.clone();
        if (config.halfStorage) HalfPrecision.roundAll(codebook, "codebook");

        float[] q = VqDecoder.normalized(km.codes, codebook, d, rows, cols);
        double proxyLoss = ProxyLoss.normalized(wBar, q, rows, cols, s);
        double proxyEnergy = energy(wBar, cols, s);
        VqResult partial = new VqResult(rows, cols, d, km.codes, codebook, r, c, config.halfStorage, km, proxyLoss,
                proxyEnergy, 0);
        double dataAware = ProxyLoss.dataAware(w, partial.wHat(), rows, cols, s);
        return new VqResult(rows, cols, d, km.codes, codebook, r, c, config.halfStorage, km, proxyLoss, proxyEnergy,
                dataAware);
    }

    /** sum s_j W_bar_ij^2 (the loss of an all-zero Q), same terms as ProxyLoss without a zero matrix in memory. */
    private static double energy(float[] wBar, int cols, float[] s) {
        double sum = 0;
        for (int k = 0; k < wBar.length; k++) {
            sum += ProxyLoss.term(s == null ? 1f : s[k % cols], wBar[k]);
        }
        return sum;
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }
}
