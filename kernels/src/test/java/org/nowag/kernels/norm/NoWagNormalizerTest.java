package org.nowag.kernels.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.nowag.kernels.TestMatrices;

/** Normalization: the norms are the spec's, it inverts, and row blocks combine into the whole matrix's column norms. */
class NoWagNormalizerTest {

    static final int ROWS = 24;
    static final int COLS = 40;

    private static float[] colNorms(float[] w, int rows, int cols) {
        double[] acc = new double[cols];
        NoWagNormalizer.accumulateColumnSumSquares(w, rows, cols, acc);
        return NoWagNormalizer.columnNorms(acc);
    }

    @Test
    void denormalizeInvertsNormalize() {
        for (long seed = 1; seed <= 5; seed++) {
            float[] w = TestMatrices.gaussian(ROWS, COLS, seed);
            for (int k = 0; k < w.length; k += 7) {
                w[k] *= 1000f; // a wide dynamic range
            }
            float[] c = colNorms(w, ROWS, COLS);
            float[] r = NoWagNormalizer.rowNorms(w, ROWS, COLS, c);
            float[] back = NoWagNormalizer.denormalize(NoWagNormalizer.normalize(w, ROWS, COLS, c, r), ROWS, COLS, r, c);
            for (int k = 0; k < w.length; k++) {
                assertEquals(w[k], back[k], 1e-6 * Math.abs(w[k]), "element " + k);
            }
        }
    }

    @Test
    void normsAreTheSpecsTwoNormsPlusEps() {
        float[] w = TestMatrices.gaussian(ROWS, COLS, 2);
        float[] c = colNorms(w, ROWS, COLS);
        float[] r = NoWagNormalizer.rowNorms(w, ROWS, COLS, c);
        for (int j = 0; j < COLS; j++) {
            double ss = 0;
            for (int i = 0; i < ROWS; i++) {
                ss += (double) w[i * COLS + j] * w[i * COLS + j];
            }
            assertEquals(Math.sqrt(ss) + 1e-5, c[j], 1e-6 * c[j]);
        }
        for (int i = 0; i < ROWS; i++) {
            double ss = 0;
            for (int j = 0; j < COLS; j++) {
                double x = w[i * COLS + j] / c[j];
                ss += x * x;
            }
            assertEquals(Math.sqrt(ss) + 1e-5, r[i], 1e-6 * r[i]);
        }
    }

    @Test
    void normalizedRowsHaveUnitNormAndScaledColumnsHadUnitNorm() {
        float[] w = TestMatrices.gaussian(ROWS, COLS, 3);
        float[] c = colNorms(w, ROWS, COLS);
        float[] r = NoWagNormalizer.rowNorms(w, ROWS, COLS, c);
        float[] wBar = NoWagNormalizer.normalize(w, ROWS, COLS, c, r);
        for (int i = 0; i < ROWS; i++) {
            double ss = 0;
            for (int j = 0; j < COLS; j++) {
                ss += (double) wBar[i * COLS + j] * wBar[i * COLS + j];
            }
            assertEquals(1.0, Math.sqrt(ss), 1e-4, "row " + i); // ||W'_i|| / (||W'_i|| + eps)
        }
        // W' = W diag(c)^-1 has unit columns (up to eps), and W_bar's column j is W'_j scaled by 1/r_i.
        for (int j = 0; j < COLS; j++) {
            double ssPrime = 0;
            double ssBarTimesR = 0;
            for (int i = 0; i < ROWS; i++) {
                double prime = w[i * COLS + j] / c[j];
                ssPrime += prime * prime;
                double back = (double) wBar[i * COLS + j] * r[i];
                ssBarTimesR += back * back;
            }
            assertEquals(1.0, Math.sqrt(ssPrime), 1e-4, "column " + j);
            assertEquals(Math.sqrt(ssPrime), Math.sqrt(ssBarTimesR), 1e-5, "column " + j);
        }
    }

    @Test
    void columnSumSquaresOverRowBlocksEqualTheWholeMatrixExactly() {
        float[] w = TestMatrices.gaussian(ROWS, COLS, 4);
        double[] whole = new double[COLS];
        NoWagNormalizer.accumulateColumnSumSquares(w, ROWS, COLS, whole);
        double[] blocks = new double[COLS];
        int[] starts = {0, 1, 7, 8, 20, ROWS};
        for (int b = 0; b + 1 < starts.length; b++) {
            float[] block = Arrays.copyOfRange(w, starts[b] * COLS, starts[b + 1] * COLS);
            NoWagNormalizer.accumulateColumnSumSquares(block, starts[b + 1] - starts[b], COLS, blocks);
        }
        assertArrayEquals(whole, blocks, 0.0);
        assertArrayEquals(NoWagNormalizer.columnNorms(whole), NoWagNormalizer.columnNorms(blocks), 0f);
    }

    @Test
    void rowNormsOfABlockEqualThoseOfTheWholeMatrix() {
        float[] w = TestMatrices.gaussian(ROWS, COLS, 5);
        float[] c = colNorms(w, ROWS, COLS);
        float[] whole = NoWagNormalizer.rowNorms(w, ROWS, COLS, c);
        float[] part = NoWagNormalizer.rowNorms(Arrays.copyOfRange(w, 3 * COLS, 10 * COLS), 7, COLS, c);
        assertArrayEquals(Arrays.copyOfRange(whole, 3, 10), part, 0f);
    }

    @Test
    void zeroMatrixNormalizesToZeroWithoutNan() {
        float[] w = new float[ROWS * COLS];
        float[] c = colNorms(w, ROWS, COLS);
        float[] r = NoWagNormalizer.rowNorms(w, ROWS, COLS, c);
        for (float x : c) {
            assertEquals(NoWagNormalizer.EPS, x);
        }
        for (float x : r) {
            assertEquals(NoWagNormalizer.EPS, x);
        }
        for (float x : NoWagNormalizer.normalize(w, ROWS, COLS, c, r)) {
            assertEquals(0f, x);
        }
    }

    @Test
    void rowNormsNameTheFirstNonFiniteWeightWhicheverRowOfAGroupItIsIn() {
        int rows = 9;
        int cols = 40;
        float[] c = new float[cols];
        Arrays.fill(c, 1f);
        for (int bad : new int[] {0, 13, 5 * cols + 7, 7 * cols + 39, 8 * cols + 2}) {
            float[] w = TestMatrices.gaussian(rows, cols, 3);
            w[bad] = Float.NEGATIVE_INFINITY;
            w[rows * cols - 1] = Float.NaN;  // a later one is not the one named
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NoWagNormalizer.rowNorms(w, rows, cols, c));
            assertTrue(e.getMessage().startsWith("w[" + bad / cols + ", " + bad % cols + "] = -Infinity"), e.getMessage());
        }
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> NoWagNormalizer.columnNorms(new double[] {1, -1}));
        assertThrows(IllegalArgumentException.class, () -> NoWagNormalizer.columnNorms(new double[] {Double.NaN}));
        float[] w = TestMatrices.gaussian(2, 3, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NoWagNormalizer.accumulateColumnSumSquares(w, 2, 3, new double[4]));
        assertTrue(e.getMessage().contains("acc.length=4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NoWagNormalizer.rowNorms(w, 2, 3, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> NoWagNormalizer.denormalize(w, 2, 3, new float[3], new float[3]));
    }
}
