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
    void inputSizeNotDivisibleByTheSubvectorDimensionIsAClearError() {
        float[] w = TestMatrices.gaussian(4, 10, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NoWagVq.quantize(w, 4, 10, null, new VqConfig(6, 4, 10, 1, true)));
        assertTrue(e.getMessage().contains("d_in=10") && e.getMessage().contains("6"), e.getMessage());
    }
}
