package org.nowag.kernels.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nowag.kernels.TestMatrices;
import org.nowag.kernels.loss.ProxyLoss;
import org.nowag.kernels.norm.NoWagNormalizer;

/**
 * LossLanes' sums, vector path included, are the documented order exactly (8 lane sums by column mod 8 over whole
 * groups of 8, a sequential tail, lanes added pairwise): checked bit for bit against that order written out here,
 * and to rounding against ProxyLoss's row-major sums.
 */
class LossLanesTest {

    @Test
    void sumsFollowTheDocumentedOrderBitForBit() {
        Random random = new Random(21);
        for (int cols : new int[] {1, 7, 8, 9, 16, 23, 64, 100}) {
            int rows = 5;
            float[] w = TestMatrices.gaussian(rows, cols, cols);
            w[0] = -0.0f; // a kept negative zero, and pruned zeros below, add nothing
            float[] s = TestMatrices.activations(cols, cols);
            float[] c = SlowReference.colNorms(w, rows, cols);
            float[] r = NoWagNormalizer.rowNorms(w, rows, cols, c);
            float[] p = new float[w.length];
            for (int k = 0; k < w.length; k++) {
                p[k] = random.nextBoolean() ? w[k] : 0f;
            }
            LossLanes lanes = new LossLanes();
            for (int i = 0; i < rows; i++) {
                lanes.addRow(w, p, i * cols, cols, c, r[i], s);
            }
            double[][] expected = documentedOrder(w, p, rows, cols, c, r, s);
            assertEquals(expected[0][0], lanes.proxyLoss(), "proxy loss, cols " + cols);
            assertEquals(expected[1][0], lanes.proxyEnergy(), "proxy energy, cols " + cols);
            assertEquals(expected[2][0], lanes.dataAwareLoss(), "data-aware loss, cols " + cols);

            float[] wBar = NoWagNormalizer.normalize(w, rows, cols, c, r);
            float[] qBar = new float[wBar.length];
            for (int k = 0; k < qBar.length; k++) {
                qBar[k] = p[k] == w[k] ? wBar[k] : 0f;
            }
            assertRelative(ProxyLoss.normalized(wBar, qBar, rows, cols, s), lanes.proxyLoss());
            assertRelative(ProxyLoss.normalized(wBar, new float[wBar.length], rows, cols, s), lanes.proxyEnergy());
            assertRelative(ProxyLoss.dataAware(w, p, rows, cols, s), lanes.dataAwareLoss());
        }
    }

    /** {total} per sum: the slow, written-out order. */
    private static double[][] documentedOrder(float[] w, float[] p, int rows, int cols, float[] c, float[] r,
                                              float[] s) {
        double[][] lane = new double[3][8];
        double[] tail = new double[3];
        int whole = cols - cols % 8;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int k = i * cols + j;
                boolean pruned = p[k] != w[k] || Float.floatToRawIntBits(p[k]) != Float.floatToRawIntBits(w[k]);
                float q = w[k] / c[j] / r[i];
                double[] terms = {
                        pruned ? (double) s[j] * q * q : 0,
                        (double) s[j] * q * q,
                        pruned ? (double) s[j] * w[k] * w[k] : 0};
                for (int t = 0; t < 3; t++) {
                    if (j < whole) {
                        lane[t][j % 8] += terms[t];
                    } else {
                        tail[t] += terms[t];
                    }
                }
            }
        }
        double[][] total = new double[3][1];
        for (int t = 0; t < 3; t++) {
            double[] l = lane[t];
            total[t][0] = ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7])) + tail[t];
        }
        return total;
    }

    private static void assertRelative(double expected, double actual) {
        assertEquals(expected, actual, 1e-12 * Math.max(Math.abs(expected), Double.MIN_NORMAL));
    }
}
