package org.nowag.kernels.vq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nowag.kernels.TestMatrices;
import org.nowag.kernels.loss.ProxyLoss;
import org.nowag.kernels.norm.NoWagNormalizer;

class NoWagVqTest {
    private static final int ROWS = 24;
    private static final int COLS = 36;

    @Test
    void wHatIsRowNormTimesCentroidValueTimesColumnNorm() {
        float[] w = TestMatrices.gaussian(ROWS, COLS, 5);
        float[] s = TestMatrices.activations(COLS, 5);
        VqResult r = NoWagVq.quantize(w, ROWS, COLS, s, new VqConfig(6, 16, 100, 5, true));
        float[] wHat = r.wHat();
        int groups = COLS / 6;
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < COLS; j++) {
                int code = r.codes[i * groups + j / 6];
                float expected = r.rowNorms[i] * r.codebook[code * 6 + j % 6] * r.colNorms[j];
                assertEquals(expected, wHat[i * COLS + j], 0f, "W_hat[" + i + ", " + j + "]");
            }
        }
    }

    @Test
    void storedValuesAreBinary16AndTheProxyLossIsTheNormalizedErrorOfTheStoredCodebook() {
        float[] w = TestMatrices.gaussian(ROWS, COLS, 6);
        float[] s = TestMatrices.activations(COLS, 6);
        VqResult r = NoWagVq.quantize(w, ROWS, COLS, s, new VqConfig(6, 16, 100, 6, true));
        for (float v : r.codebook) assertEquals(HalfPrecision.round(v), v, 0f);
        for (float v : r.rowNorms) assertEquals(HalfPrecision.round(v), v, 0f);
        for (float v : r.colNorms) assertEquals(HalfPrecision.round(v), v, 0f);
        float[] wBar = NoWagNormalizer.normalize(w, ROWS, COLS, r.colNorms, r.rowNorms);
        float[] q = VqDecoder.normalized(r.codes, r.codebook, 6, ROWS, COLS);
        assertEquals(ProxyLoss.normalized(wBar, q, ROWS, COLS, s), r.proxyLoss, 0.0);
        assertEquals(ProxyLoss.dataAware(w, r.wHat(), ROWS, COLS, s), r.dataAwareLoss, 0.0);
        assertTrue(r.proxyLoss < r.proxyEnergy, "quantizing beats the all-zero matrix");
        // The stored codebook is within binary16 rounding of the k-means one, so the loss barely moves.
        assertEquals(r.kMeans.finalLoss, r.proxyLoss, 1e-2 * r.kMeans.finalLoss);
    }

    @Test
    void float32StorageKeepsTheKMeansCodebookExactly() {
        float[] w = TestMatrices.gaussian(ROWS, COLS, 7);
        VqResult r = NoWagVq.quantize(w, ROWS, COLS, null, new VqConfig(6, 16, 100, 7, false));
        assertArrayEquals(r.kMeans.codebook, r.codebook);
        assertEquals(r.kMeans.finalLoss, r.proxyLoss, 1e-9 * r.proxyLoss);
    }

    @Test
    void bitsPerWeightCountCodesCodebookAndNorms() {
        float[] w = TestMatrices.gaussian(ROWS, COLS, 8);
        VqResult r = NoWagVq.quantize(w, ROWS, COLS, null, new VqConfig(6, 16, 20, 8, true));
        double weights = ROWS * COLS;
        assertEquals(4, r.codeBits);
        assertEquals(ROWS * COLS / 6 * 4 / weights, r.codeBitsPerWeight(), 1e-12);
        assertEquals(16 * 6 * 16 / weights, r.codebookBitsPerWeight(), 1e-12);
        assertEquals((ROWS + COLS) * 16 / weights, r.normBitsPerWeight(), 1e-12);
        assertEquals(r.codeBitsPerWeight() + r.codebookBitsPerWeight() + r.normBitsPerWeight(), r.bitsPerWeight(), 1e-12);
    }

    @Test
    void defaultsAreTheReferenceConfig() {
        VqConfig c = VqConfig.defaults();
        assertEquals(6, c.dim);
        assertEquals(4096, c.codebookSize);
        assertEquals(100, c.maxIterations);
        assertEquals(12, VqConfig.codeBits(c.codebookSize));
    }

    @Test
    void aWidthThatDIsNotDividingIsPaddedAndWHatDropsThePadding() {
        int rows = 64;
        int cols = 20;  // d = 6: groups = 4, the last one has 2 real inputs and 4 of padding
        float[] w = TestMatrices.gaussian(rows, cols, 21);
        float[] s = TestMatrices.activations(cols, 21);
        VqResult r = NoWagVq.quantize(w, rows, cols, s, new VqConfig(6, 32, 100, 4, true));
        assertEquals(rows * 4, r.codes.length, "one code per padded subvector");
        float[] wHat = r.wHat();
        assertEquals(rows * cols, wHat.length);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int code = r.codes[i * 4 + j / 6];
                assertEquals(r.rowNorms[i] * r.codebook[code * 6 + j % 6] * r.colNorms[j], wHat[i * cols + j], 0f);
            }
        }
        double weights = rows * cols;
        assertEquals(rows * 4 * 5 / weights, r.codeBitsPerWeight(), 1e-12, "the padded subvectors' codes are counted");
        float[] wBar = NoWagNormalizer.normalize(w, rows, cols, r.colNorms, r.rowNorms);
        assertEquals(ProxyLoss.normalized(wBar, VqDecoder.normalized(r.codes, r.codebook, 6, rows, cols), rows, cols, s),
                r.proxyLoss, 1e-9 * r.proxyLoss);
        assertEquals(ProxyLoss.dataAware(w, wHat, rows, cols, s), r.dataAwareLoss, 1e-9 * r.dataAwareLoss);
    }

    @Test
    void paddedCoordinatesNeverEnterTheAssignmentOfAPaddedSubvector() {
        int rows = 64;
        int cols = 20;
        float[] w = TestMatrices.gaussian(rows, cols, 22);
        float[] s = TestMatrices.activations(cols, 22);
        VqResult r = NoWagVq.quantize(w, rows, cols, s, new VqConfig(6, 16, 100, 9, false));
        assertTrue(r.kMeans.converged, "converged, so every code is a nearest centroid of the last codebook");
        float[] wBar = NoWagNormalizer.normalize(w, rows, cols, r.colNorms, r.rowNorms);
        float[] codebook = r.kMeans.codebook;
        for (int i = 0; i < rows; i++) {
            // The last subvector: inputs 18, 19 real, 4 padded. Distances over the real inputs alone must pick its code.
            double best = Double.POSITIVE_INFINITY;
            for (int c = 0; c < 16; c++) {
                best = Math.min(best, realDistance(wBar, i * cols + 18, s, 18, codebook, c));
            }
            assertEquals(best, realDistance(wBar, i * cols + 18, s, 18, codebook, r.codes[i * 4 + 3]), 0.0,
                    "row " + i + ": its code is nearest on the real inputs, whatever the padded ones hold");
        }
        // The same matrix with the real part only (d = 2 divides the last 2 inputs) is not what we compare; instead
        // the padded coordinates must carry weight 0 in the k-means weights.
        VqGeometry geo = new VqGeometry(rows, cols, 6, VqConfig.DEFAULT_BLOCK_SUBVECTORS);
        float[] weights = geo.paddedWeights(s);
        for (int j = cols; j < geo.paddedCols; j++) assertEquals(0f, weights[j], "padding weight");
    }

    private static double realDistance(float[] wBar, int offset, float[] s, int j0, float[] codebook, int c) {
        double sum = 0;
        for (int t = 0; t < 2; t++) {
            double diff = (double) wBar[offset + t] - codebook[c * 6 + t];
            sum += s[j0 + t] * diff * diff;
        }
        return sum;
    }

    @Test
    void thePaddingValueIsTheMeanOfWBar() {
        int rows = 10;
        int cols = 7;
        float[] w = TestMatrices.gaussian(rows, cols, 23);
        VqConfig cfg = new VqConfig(3, 4, 5, 1, true);
        VqResult r = NoWagVq.quantize(w, rows, cols, null, cfg);
        float[] wBar = NoWagNormalizer.normalize(w, rows, cols, r.colNorms, r.rowNorms);
        double sum = 0;
        for (float v : wBar) sum += v;
        float pad = VqBlockSums.padValue(sum, (long) rows * cols);
        float[] data = VqBlockSums.subvectors(wBar, 0, rows, new VqGeometry(rows, cols, 3, 1 << 20), pad);
        assertEquals(rows * 9, data.length);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < 9; j++) {
                assertEquals(j < cols ? wBar[i * cols + j] : pad, data[i * 9 + j], 0f);
            }
        }
    }

    @Test
    void manyBlocksGiveAResultCloseToOneBlockAndEveryBlockSizeDecodesConsistently() {
        float[] w = TestMatrices.gaussian(60, 20, 24);
        float[] s = TestMatrices.activations(20, 24);
        VqConfig one = new VqConfig(6, 16, 30, 2, true);
        VqResult a = NoWagVq.quantize(w, 60, 20, s, one);
        VqResult b = NoWagVq.quantize(w, 60, 20, s, one.withBlocks(7 * 4, 1 << 18));  // blocks of 7 rows
        // Only the order of additions differs (blocks of 7 rows vs one block): same init, near-identical sums.
        assertEquals(a.proxyEnergy, b.proxyEnergy, 1e-12 * a.proxyEnergy);
        assertEquals(a.proxyLoss, b.proxyLoss, 1e-3 * a.proxyLoss);
    }
}
