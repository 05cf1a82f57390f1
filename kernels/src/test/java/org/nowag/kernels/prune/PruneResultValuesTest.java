package org.nowag.kernels.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.BitSet;

import org.junit.jupiter.api.Test;
import org.nowag.kernels.TestMatrices;
import org.nowag.kernels.loss.ProxyLoss;
import org.nowag.kernels.norm.NoWagNormalizer;

/** Kept weights are the input bits, pruned are +0.0f, and the three reported losses are the reference sums. */
class PruneResultValuesTest {

    static final SparsityPattern[] PATTERNS = {
            SparsityPattern.unstructured(0.5, SparsityPattern.Group.MATRIX),
            SparsityPattern.unstructured(0.25, SparsityPattern.Group.ROW),
            SparsityPattern.nOfM(2, 4)};

    @Test
    void keptValuesAreBitIdenticalAndPrunedAreExactlyZero() {
        int rows = 11;
        int cols = 16;
        float[] w = TestMatrices.gaussian(rows, cols, 5);
        w[3] = -0.0f;               // a negative zero, kept or not, must not be turned into +0 if kept
        w[7] = Float.MIN_VALUE;     // subnormal: no round trip through W_bar may change it
        w[8] = 1e-30f;
        w[9] = -3.4e38f;
        for (PruneMethod method : PruneMethod.values()) {
            for (SparsityPattern pattern : PATTERNS) {
                float[] c = SlowReference.colNorms(w, rows, cols);
                PruneResult result = Pruner.prune(method, pattern, w, rows, cols, c, TestMatrices.activations(cols, 5));
                for (int k = 0; k < w.length; k++) {
                    int expectedBits = result.keep.get(k) ? Float.floatToRawIntBits(w[k]) : 0;
                    assertEquals(expectedBits, Float.floatToRawIntBits(result.pruned[k]), method + " " + pattern + " at " + k);
                }
            }
        }
    }

    @Test
    void lossesEqualTheReferenceSums() {
        for (long seed = 1; seed <= 5; seed++) {
            int rows = 13;
            int cols = 24;
            float[] w = TestMatrices.gaussian(rows, cols, seed);
            for (float[] s : new float[][] {null, TestMatrices.activations(cols, seed), TestMatrices.tiedActivations(cols, seed)}) {
                for (PruneMethod method : PruneMethod.values()) {
                    for (SparsityPattern pattern : PATTERNS) {
                        float[] c = SlowReference.colNorms(w, rows, cols);
                        PruneResult result = Pruner.prune(method, pattern, w, rows, cols, c, s);
                        BitSet keep = result.keep;
                        assertRelative(SlowReference.proxyLoss(w, rows, cols, c, s, keep, false), result.proxyLoss);
                        assertRelative(SlowReference.proxyLoss(w, rows, cols, c, s, keep, true), result.proxyEnergy);
                        assertRelative(SlowReference.dataAwareLoss(w, rows, cols, s, keep), result.dataAwareLoss);
                    }
                }
            }
        }
    }

    @Test
    void lossesEqualProxyLossFunctionsOnTheResult() {
        int rows = 9;
        int cols = 32;
        float[] w = TestMatrices.gaussian(rows, cols, 11);
        float[] s = TestMatrices.activations(cols, 11);
        float[] c = SlowReference.colNorms(w, rows, cols);
        float[] r = NoWagNormalizer.rowNorms(w, rows, cols, c);
        float[] wBar = NoWagNormalizer.normalize(w, rows, cols, c, r);
        for (PruneMethod method : PruneMethod.values()) {
            PruneResult result = Pruner.prune(method, SparsityPattern.nOfM(2, 4), w, rows, cols, c, s);
            float[] qBar = new float[wBar.length];
            for (int k = 0; k < qBar.length; k++) {
                qBar[k] = result.keep.get(k) ? wBar[k] : 0f;
            }
            // The same terms, added in another order (LossLanes: 8 lane sums), so equal to rounding only.
            assertRelative(ProxyLoss.normalized(wBar, qBar, rows, cols, s), result.proxyLoss);
            assertRelative(ProxyLoss.normalized(wBar, new float[wBar.length], rows, cols, s), result.proxyEnergy);
            assertRelative(ProxyLoss.dataAware(w, result.pruned, rows, cols, s), result.dataAwareLoss);
        }
    }

    @Test
    void nowagPMinimisesTheProxyLossAmongTheMethods() {
        // NoWag-P keeps the largest s_j W_bar_ij^2 of the whole matrix, so no other mask with the same
        // count can have a smaller proxy loss.
        int rows = 16;
        int cols = 32;
        float[] w = TestMatrices.gaussian(rows, cols, 3);
        float[] s = TestMatrices.activations(cols, 3);
        float[] c = SlowReference.colNorms(w, rows, cols);
        SparsityPattern p = SparsityPattern.unstructured(0.5, SparsityPattern.Group.MATRIX);
        double nowag = Pruner.prune(PruneMethod.NOWAG_P, p, w, rows, cols, c, s).proxyLoss;
        for (PruneMethod other : new PruneMethod[] {PruneMethod.MAGNITUDE, PruneMethod.WANDA}) {
            double loss = Pruner.prune(other, p, w, rows, cols, c, s).proxyLoss;
            assertEquals(true, nowag <= loss * (1 + 1e-6), other + ": " + loss + " < NoWag-P " + nowag);
        }
    }

    private static void assertRelative(double expected, double actual) {
        assertEquals(expected, actual, 1e-9 * Math.max(Math.abs(expected), Double.MIN_NORMAL));
    }
}
