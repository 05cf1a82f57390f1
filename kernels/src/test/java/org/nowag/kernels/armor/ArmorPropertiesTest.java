package org.nowag.kernels.armor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.nowag.kernels.prune.PruneMethod;
import org.nowag.kernels.prune.PruneResult;
import org.nowag.kernels.prune.Pruner;
import org.nowag.kernels.prune.SparsityPattern;

/** Properties of the whole ARMOR run on random matrices. */
class ArmorPropertiesTest {
    static float[] randomMatrix(Random rnd, int rows, int cols) {
        float[] w = new float[rows * cols];
        for (int k = 0; k < w.length; k++) w[k] = (float) (rnd.nextGaussian() * (1 + (k % 7)));
        return w;
    }

    static float[] randomDiagonal(Random rnd, int cols) {
        float[] s = new float[cols];
        for (int j = 0; j < cols; j++) s[j] = (float) Math.exp(2 * rnd.nextGaussian());
        return s;
    }

    /** Each group of four holds exactly two kept positions and the rest are zero. */
    static void assertTwoOfFour(ArmorState st, String when) {
        double[] core = st.denseCore();
        for (int g = 0; g < core.length / 4; g++) {
            assertTrue(st.pair[g] >= 0 && st.pair[g] < 6, when + ": group " + g + " has pair code " + st.pair[g]);
            int c = st.pair[g];
            for (int t = 0; t < 4; t++) {
                if (t != TwoOfFour.FIRST[c] && t != TwoOfFour.SECOND[c]) {
                    assertEquals(0.0, core[4 * g + t], when + ": group " + g + " position " + t + " must be pruned");
                }
            }
        }
    }

    @Test
    void everyIterateIsTwoOfFourAndNoStepRaisesTheLoss() {
        Random rnd = new Random(3);
        int rows = 16;
        int cols = 32;
        float[] w = randomMatrix(rnd, rows, cols);
        float[] s = randomDiagonal(rnd, cols);
        double[] colSs = new double[cols];
        NoWagNormalizer.accumulateColumnSumSquares(w, rows, cols, colSs);
        float[] c = NoWagNormalizer.columnNorms(colSs);
        float[] r = NoWagNormalizer.rowNorms(w, rows, cols, c);
        float[] wBarF = NoWagNormalizer.normalize(w, rows, cols, c, r);
        double[] sd = new double[cols];
        for (int j = 0; j < cols; j++) sd[j] = s[j];
        PruneResult start = Pruner.prune(PruneMethod.NOWAG_P, SparsityPattern.nOfM(2, 4), w, rows, cols, c, s);
        ArmorState st = Armor.initialState(wBarF, rows, cols, sd, 8, start);
        assertTwoOfFour(st, "start");
        double loss = st.loss();
        assertEquals(start.proxyLoss, loss, 1e-9 * start.proxyLoss, "the start is NoWag-P 2:4");
        for (int it = 0; it < 4; it++) {
            st.stepA();
            double afterA = st.loss();
            assertTrue(afterA <= loss, "A step raised the loss: " + loss + " -> " + afterA);
            st.stepB();
            double afterB = st.loss();
            assertTrue(afterB <= afterA, "B step raised the loss: " + afterA + " -> " + afterB);
            st.stepS();
            assertTwoOfFour(st, "iteration " + it);
            double afterS = st.loss();
            assertTrue(afterS <= afterB * (1 + 1e-12), "S step raised the loss: " + afterB + " -> " + afterS);
            loss = afterS;
        }
        assertTrue(loss < start.proxyLoss, "four iterations lower the loss below NoWag-P's");
    }

    @Test
    void lossesNeverRiseEndBelowTheNowagPStartAndProgressSeesEachIteration() {
        Random rnd = new Random(5);
        float[] w = randomMatrix(rnd, 32, 64);
        float[] s = randomDiagonal(rnd, 64);
        List<double[]> seen = new ArrayList<>();
        ArmorResult res = Armor.compress(w, 32, 64, s, ArmorConfig.of(16, 5, true), seen::add);
        assertEquals(6, res.losses.length);
        assertEquals(5, seen.size());
        assertEquals(res.nowagPLoss, res.startLoss(), 1e-9 * res.nowagPLoss);
        for (int i = 1; i < res.losses.length; i++) {
            assertTrue(res.losses[i] <= res.losses[i - 1], "loss rose at iteration " + i);
        }
        assertTrue(res.endLoss() < 0.9 * res.startLoss(), "ARMOR improves on NoWag-P: " + res.startLoss() + " -> " + res.endLoss());
        assertTrue(res.proxyLoss < res.startLoss(), "still better after rounding the parts to 16 bits");
        assertTrue(res.proxyLoss < res.proxyEnergy);
    }

    @Test
    void dataFreeRunUsesUnitWeightsAndStillImproves() {
        Random rnd = new Random(6);
        float[] w = randomMatrix(rnd, 16, 16);
        ArmorResult res = Armor.compress(w, 16, 16, null, ArmorConfig.of(8, 3, false), null);
        assertTrue(res.endLoss() < res.startLoss());
        float[] ones = new float[16];
        java.util.Arrays.fill(ones, 1f);
        ArmorResult withOnes = Armor.compress(w, 16, 16, ones, ArmorConfig.of(8, 3, false), null);
        assertArrayEquals(res.losses, withOnes.losses, 0.0, "null s means all ones");
    }

    @Test
    void theSameInputGivesTheSameBits() {
        Random rnd = new Random(9);
        float[] w = randomMatrix(rnd, 16, 32);
        float[] s = randomDiagonal(rnd, 32);
        ArmorResult x = Armor.compress(w, 16, 32, s, ArmorConfig.of(8, 3, true), null);
        ArmorResult y = Armor.compress(w, 16, 32, s, ArmorConfig.of(8, 3, true), null);
        assertArrayEquals(x.aBlocks, y.aBlocks);
        assertArrayEquals(x.bBlocks, y.bBlocks);
        assertArrayEquals(x.values, y.values);
        assertArrayEquals(x.positions, y.positions);
        assertArrayEquals(x.losses, y.losses, 0.0);
    }

    @Test
    void wHatEqualsTheDenseProductOfTheStoredPartsAndTheStoredLossIsItsProxyLoss() {
        Random rnd = new Random(10);
        int rows = 16;
        int cols = 32;
        int b = 8;
        float[] w = randomMatrix(rnd, rows, cols);
        float[] s = randomDiagonal(rnd, cols);
        ArmorResult res = Armor.compress(w, rows, cols, s, ArmorConfig.of(b, 2, true), null);
        double[][] a = blocks(res.aBlocks, rows / b, b);
        double[][] bb = blocks(res.bBlocks, cols / b, b);
        double[][] core = new double[rows][cols];
        for (int v = 0; v < res.values.length; v++) {
            int i = v / (cols / 2);
            int group = (v % (cols / 2)) / 2;
            core[i][group * 4 + res.positions[v]] = res.values[v];
        }
        double[][] q = SlowArmor.multiply(SlowArmor.multiply(SlowArmor.dense(a, b), core), SlowArmor.dense(bb, b));
        float[] wHat = res.wHat();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double expected = res.rowNorms[i] * q[i][j] * res.colNorms[j];
                assertEquals(expected, wHat[i * cols + j], 1e-5 * (1 + Math.abs(expected)), "[" + i + ", " + j + "]");
            }
        }
        for (int g = 0; g < res.positions.length; g += 2) {
            assertTrue(res.positions[g] < res.positions[g + 1], "positions of a group are increasing");
        }
        for (float x : res.aBlocks) assertEquals(x, org.nowag.kernels.vq.HalfPrecision.round(x), "A is 16-bit");
        assertEquals(9.0 + 16.0 * b * (rows + cols) / (rows * cols) + 16.0 * (rows + cols) / (rows * cols),
                res.bitsPerWeight(), 1e-12);
    }

    @Test
    void aBlockSizeThatDoesNotTileTheMatrixFallsBackToTheLargestMultipleOf4DividingBoth() {
        ArmorConfig paper = ArmorConfig.of(128, 1, true);
        assertEquals(128, paper.blockSizeFor(256, 256));
        assertEquals(64, paper.blockSizeFor(64, 256), "k_proj/v_proj of a 2-KV-head model");
        assertEquals(16, paper.blockSizeFor(688, 256), "gcd(688, 256) = 16");
        assertEquals(16, paper.blockSizeFor(256, 688));
        assertEquals(128, paper.blockSizeFor(384, 1536), "MiniLM keeps 128");
        assertEquals(4, paper.blockSizeFor(12, 20));
        assertEquals(32, ArmorConfig.of(32, 1, true).blockSizeFor(4096, 11008), "never above the requested size");
        // Against the obvious search over every b <= 128.
        for (int rows = 4; rows <= 160; rows += 4) {
            for (int cols = 4; cols <= 160; cols += 12) {
                int expected = 0;
                for (int b = 1; b <= 128; b++) if (b % 4 == 0 && rows % b == 0 && cols % b == 0) expected = b;
                assertEquals(expected, paper.blockSizeFor(rows, cols), rows + " x " + cols);
            }
        }

        // The fallback is exactly a run at the smaller size: 24 x 32 at 16 runs at 8.
        Random random = new Random(5);
        float[] w = new float[24 * 32];
        for (int i = 0; i < w.length; i++) w[i] = (float) random.nextGaussian();
        ArmorResult fallback = Armor.compress(w, 24, 32, null, ArmorConfig.of(16, 2, true), null);
        ArmorResult eight = Armor.compress(w, 24, 32, null, ArmorConfig.of(8, 2, true), null);
        assertEquals(8, fallback.blockSize);
        assertArrayEquals(eight.wHat(), fallback.wHat());
        assertArrayEquals(eight.losses, fallback.losses, 0.0);
    }

    @Test
    void aShapeNoBlockSizeCanTileIsAClearError() {
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> Armor.compress(new float[6 * 32], 6, 32, null, ArmorConfig.of(16, 1, true), null));
        assertTrue(rows.getMessage().contains("[6, 32]") && rows.getMessage().contains("d_out=6"), rows.getMessage());
        IllegalArgumentException cols = assertThrows(IllegalArgumentException.class,
                () -> Armor.compress(new float[8 * 30], 8, 30, null, ArmorConfig.of(16, 1, true), null));
        assertTrue(cols.getMessage().contains("d_in=30"), cols.getMessage());
        IllegalArgumentException notFour = assertThrows(IllegalArgumentException.class, () -> ArmorConfig.of(6, 1, true));
        assertTrue(notFour.getMessage().contains("multiple of 4"), notFour.getMessage());
    }

    private static double[][] blocks(float[] stacked, int n, int b) {
        double[][] out = new double[n][b * b];
        for (int k = 0; k < n; k++) for (int x = 0; x < b * b; x++) out[k][x] = stacked[k * b * b + x];
        return out;
    }
}
