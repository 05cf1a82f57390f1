package org.nowag.kernels.armor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** ARMOR's loss and each block update against dense, slow, obviously correct computations. */
class ArmorMatchesSlowReferenceTest {
    static final int ROWS = 8;
    static final int COLS = 16;
    static final int B = 4;

    /** A random iterate: A, B near the identity, a random 2:4 core, random W_bar and positive s. */
    static ArmorState randomState(long seed) {
        Random rnd = new Random(seed);
        float[] w = new float[ROWS * COLS];
        for (int k = 0; k < w.length; k++) w[k] = (float) rnd.nextGaussian();
        double[] s = new double[COLS];
        for (int j = 0; j < COLS; j++) s[j] = Math.exp(rnd.nextGaussian());
        int groups = ROWS * COLS / 4;
        byte[] pair = new byte[groups];
        double[] values = new double[2 * groups];
        for (int g = 0; g < groups; g++) {
            pair[g] = (byte) rnd.nextInt(6);
            values[2 * g] = rnd.nextGaussian();
            values[2 * g + 1] = rnd.nextGaussian();
        }
        ArmorState st = new ArmorState(w, ROWS, COLS, s, B, pair, values);
        for (double[] blk : st.a) for (int x = 0; x < blk.length; x++) blk[x] += 0.3 * rnd.nextGaussian();
        for (double[] blk : st.bm) for (int x = 0; x < blk.length; x++) blk[x] += 0.3 * rnd.nextGaussian();
        return st;
    }

    static double slowLoss(ArmorState st) {
        return SlowArmor.loss(SlowArmor.matrix(st.wBar, ROWS, COLS), SlowArmor.dense(st.a, B),
                SlowArmor.matrix(st.denseCore(), ROWS, COLS), SlowArmor.dense(st.bm, B), st.s);
    }

    @Test
    void lossEqualsTheDenseTripleLoopLoss() {
        for (long seed = 1; seed <= 5; seed++) {
            ArmorState st = randomState(seed);
            double slow = slowLoss(st);
            assertEquals(slow, st.loss(), 1e-10 * slow, "seed " + seed);
        }
    }

    @Test
    void eachBlockOfAEqualsItsWeightedNormalEquationsSolvedByGaussianElimination() {
        ArmorState st = randomState(7);
        double[][] m = SlowArmor.multiply(SlowArmor.matrix(st.denseCore(), ROWS, COLS), SlowArmor.dense(st.bm, B));
        double[] mFlat = new double[ROWS * COLS];
        for (int i = 0; i < ROWS; i++) System.arraycopy(m[i], 0, mFlat, i * COLS, COLS);
        double[][] candidate = st.candidateA(mFlat);
        for (int k = 0; k < ROWS / B; k++) {
            double[] fast = candidate[k];
            double[][] design = new double[B][];
            for (int p = 0; p < B; p++) design[p] = m[k * B + p];
            for (int i = 0; i < B; i++) {
                double[] target = new double[COLS];
                for (int j = 0; j < COLS; j++) target[j] = st.wBar[(k * B + i) * COLS + j];
                double[] row = SlowArmor.leastSquares(design, target, st.s);
                for (int p = 0; p < B; p++) {
                    assertEquals(row[p], fast[i * B + p], 1e-8, "A block " + k + " [" + i + ", " + p + "]");
                }
            }
        }
    }

    @Test
    void eachBlockOfBEqualsItsNormalEquationsSolvedByGaussianElimination() {
        ArmorState st = randomState(8);
        double[][] n = SlowArmor.multiply(SlowArmor.dense(st.a, B), SlowArmor.matrix(st.denseCore(), ROWS, COLS));
        double[] nFlat = new double[ROWS * COLS];
        for (int i = 0; i < ROWS; i++) System.arraycopy(n[i], 0, nFlat, i * COLS, COLS);
        double[] ones = new double[ROWS];
        java.util.Arrays.fill(ones, 1);
        double[][] candidate = st.candidateB(nFlat);
        for (int m = 0; m < COLS / B; m++) {
            double[] fast = candidate[m];
            double[][] design = new double[B][ROWS];
            for (int t = 0; t < B; t++) for (int i = 0; i < ROWS; i++) design[t][i] = n[i][m * B + t];
            for (int j = 0; j < B; j++) {
                double[] target = new double[ROWS];
                for (int i = 0; i < ROWS; i++) target[i] = st.wBar[i * COLS + m * B + j];
                double[] col = SlowArmor.leastSquares(design, target, ones);
                for (int t = 0; t < B; t++) {
                    assertEquals(col[t], fast[t * B + j], 1e-8, "B block " + m + " [" + t + ", " + j + "]");
                }
            }
        }
    }

    @Test
    void oneGroupStepReachesTheBestOfTheSixPairsWithTheirOptimalValuesFoundByBruteForce() {
        for (long seed = 20; seed < 30; seed++) {
            ArmorState st = randomState(seed);
            Random rnd = new Random(seed);
            int row = rnd.nextInt(ROWS);
            int groupInRow = rnd.nextInt(COLS / 4);
            int group = row * (COLS / 4) + groupInRow;
            double best = bruteForceBest(st, row, groupInRow);
            double before = st.loss();

            double[] e = st.residual();
            double[][][] q = st.groupGramsByBlock();
            double[][] flat = new double[COLS / 4][];
            for (int m = 0; m < COLS / B; m++) for (int g = 0; g < B / 4; g++) flat[m * (B / 4) + g] = q[m][g];
            int k = row / B;
            int m = groupInRow * 4 / B;
            int g = groupInRow - m * (B / 4);
            st.sweepRow(e, flat, k, m, row - k * B, g, g + 1);

            double after = st.loss();
            assertTrue(after <= before + 1e-12 * before, "a group step never raises the loss");
            assertEquals(Math.min(best, before), after, 1e-9 * before, "seed " + seed + " group " + group);
            // The residual the sweep carried equals the one recomputed from scratch.
            double[] fresh = st.residual();
            for (int x = 0; x < e.length; x++) assertEquals(fresh[x], e[x], 1e-9, "residual " + x);
        }
    }

    /** The lowest loss over the six pairs of this group, each with its least-squares values, all else fixed. */
    private static double bruteForceBest(ArmorState st, int row, int groupInRow) {
        int group = row * (COLS / 4) + groupInRow;
        double[][] a = SlowArmor.dense(st.a, B);
        double[][] bm = SlowArmor.dense(st.bm, B);
        double[][] core = SlowArmor.matrix(st.denseCore(), ROWS, COLS);
        for (int t = 0; t < 4; t++) core[row][groupInRow * 4 + t] = 0;
        double[][] w = SlowArmor.matrix(st.wBar, ROWS, COLS);
        double[][] p0 = SlowArmor.multiply(SlowArmor.multiply(a, core), bm);
        double[] target = new double[ROWS * COLS];
        double[] weight = new double[ROWS * COLS];
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < COLS; j++) {
                target[i * COLS + j] = w[i][j] - p0[i][j];
                weight[i * COLS + j] = st.s[j];
            }
        }
        double best = Double.POSITIVE_INFINITY;
        for (int c = 0; c < 6; c++) {
            int[] pos = {groupInRow * 4 + TwoOfFour.FIRST[c], groupInRow * 4 + TwoOfFour.SECOND[c]};
            double[][] design = new double[2][ROWS * COLS];
            for (int t = 0; t < 2; t++) {
                for (int i = 0; i < ROWS; i++) {
                    for (int j = 0; j < COLS; j++) design[t][i * COLS + j] = a[i][row] * bm[pos[t]][j];
                }
            }
            double[] v = SlowArmor.leastSquares(design, target, weight);
            double[][] trial = SlowArmor.matrix(st.denseCore(), ROWS, COLS);
            for (int t = 0; t < 4; t++) trial[row][groupInRow * 4 + t] = 0;
            trial[row][pos[0]] = v[0];
            trial[row][pos[1]] = v[1];
            best = Math.min(best, SlowArmor.loss(w, a, trial, bm, st.s));
        }
        assertTrue(group >= 0);
        return best;
    }
}
