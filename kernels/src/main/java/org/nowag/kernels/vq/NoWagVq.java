package org.nowag.kernels.vq;

import org.nowag.kernels.Checks;
import org.nowag.kernels.norm.NoWagNormalizer;

/**
 * NoWag-VQ of one weight matrix W [d_out, d_in]: normalize (column norms, then row norms), cut each row of W_bar
 * into subvectors of d consecutive inputs (the last one padded when d does not divide d_in, see
 * {@link VqBlockSums#padValue}), cluster them all with ONE codebook by s-weighted k-means ({@link WeightedKMeans}),
 * and store codes, codebook and norms. With ignore_norms (the reference's vq.yaml) the k-means weights of input j
 * are s_j alone, and 0 on padding.
 *
 * <p>The norms are rounded to their storage precision BEFORE normalizing, and W_bar is computed with the rounded
 * norms; so the proxy loss the k-means minimises is exactly the normalized-space error of the W_hat that decodes
 * from the stored tensors.
 *
 * <p>Every sum over the matrix is taken per k-means block of rows ({@link VqGeometry}) and the blocks are added in
 * order: this is the computation that row blocks on executors perform (spark-job's distributed VQ), step for step,
 * so both give the same result bit for bit.
 */
public final class NoWagVq {
    private NoWagVq() {}

    /** @param s diag(X^T X) of this layer (length d_in), or null for data-free (every input weighted 1). */
    public static VqResult quantize(float[] w, int rows, int cols, float[] s, VqConfig config) {
        return quantize(w, rows, cols, s, config, 1);
    }

    /** The same on {@code threads} threads (the task's cores): the same result bit for bit for any count. */
    public static VqResult quantize(float[] w, int rows, int cols, float[] s, VqConfig config, int threads) {
        Checks.matrix(w, rows, cols, "w");
        Checks.activationDiagonal(s, cols);
        VqGeometry geo = VqGeometry.of(rows, cols, config);

        double[] colSumSquares = new double[cols];
        for (int b = 0; b < geo.blockCount; b++) {
            VqBlockSums.addInto(colSumSquares, VqBlockSums.columnSumSquares(w, geo.blockStart(b), blockEnd(geo, b), cols));
        }
        float[] c = columnNorms(colSumSquares, config);
        float[] r = rowNorms(w, rows, cols, c, config);
        float[] wBar = NoWagNormalizer.normalize(w, rows, cols, c, r);
        double wBarSum = 0;
        double energy = 0;
        for (int b = 0; b < geo.blockCount; b++) {
            wBarSum += VqBlockSums.sum(wBar, geo.blockStart(b), blockEnd(geo, b), cols);
            energy += VqBlockSums.energy(wBar, geo.blockStart(b), blockEnd(geo, b), cols, s);
        }
        float pad = VqBlockSums.padValue(wBarSum, (long) rows * cols);
        float[] data = VqBlockSums.subvectors(wBar, 0, rows, geo, pad);
        float[] weights = geo.paddedWeights(s);

        KMeansResult km = WeightedKMeans.run(data, geo.dim, weights, geo.groups, config.codebookSize,
                config.maxIterations, config.seed, config.blockSubvectors, config.initSample, threads);
        float[] codebook = storedCodebook(km.codebook, config);
        double proxyLoss = 0;
        double dataAware = 0;
        for (int b = 0; b < geo.blockCount; b++) {
            double[] l = VqBlockSums.losses(w, wBar, geo.blockStart(b), blockEnd(geo, b), geo, km.codes, codebook, r, c, s);
            proxyLoss += l[0];
            dataAware += l[1];
        }
        return new VqResult(rows, cols, geo.dim, km.codes, codebook, r, c, config.halfStorage, km, proxyLoss, energy,
                dataAware);
    }

    static int blockEnd(VqGeometry geo, int b) {
        return geo.blockStart(b) + geo.blockRowCount(b);
    }

    /** c from the column sums of squares, rounded to its storage precision. */
    public static float[] columnNorms(double[] colSumSquares, VqConfig config) {
        float[] c = NoWagNormalizer.columnNorms(colSumSquares);
        if (config.halfStorage) HalfPrecision.roundAll(c, "column norms");
        return c;
    }

    /** r of the given rows (each row's norm depends on that row and c only), rounded to its storage precision. */
    public static float[] rowNorms(float[] w, int rows, int cols, float[] c, VqConfig config) {
        float[] r = NoWagNormalizer.rowNorms(w, rows, cols, c);
        if (config.halfStorage) HalfPrecision.roundAll(r, "row norms");
        return r;
    }

    /** The codebook as stored: a copy rounded to binary16 unless F32 storage. */
    public static float[] storedCodebook(float[] kMeansCodebook, VqConfig config) {
        float[] codebook = kMeansCodebook.clone();
        if (config.halfStorage) HalfPrecision.roundAll(codebook, "codebook");
        return codebook;
    }

    /**
     * Assembles the result of a k-means run over row blocks on executors: the same object {@link #quantize} returns,
     * from the pieces the blocks and the driver computed.
     */
    public static VqResult assemble(VqGeometry geo, int[] codes, float[] storedCodebook, float[] rowNorms,
                                    float[] colNorms, boolean halfStorage, KMeansResult km, double proxyLoss,
                                    double proxyEnergy, double dataAwareLoss) {
        return new VqResult(geo.rows, geo.cols, geo.dim, codes, storedCodebook, rowNorms, colNorms, halfStorage, km,
                proxyLoss, proxyEnergy, dataAwareLoss);
    }
}
