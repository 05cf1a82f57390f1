package org.nowag.kernels.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;

import org.junit.jupiter.api.Test;
import org.nowag.kernels.TestMatrices;

/** N:M keeps exactly N of every M consecutive inputs of a row, and refuses a d_in that M does not divide. */
class NOfMTest {

    @Test
    void everyGroupOfMKeepsExactlyN() {
        for (int[] nm : new int[][] {{2, 4}, {4, 8}}) {
            SparsityPattern pattern = SparsityPattern.nOfM(nm[0], nm[1]);
            for (PruneMethod method : PruneMethod.values()) {
                for (long seed = 1; seed <= 4; seed++) {
                    int rows = 9;
                    int cols = 32;
                    float[] w = seed % 2 == 0 ? TestMatrices.tied(rows, cols, seed) : TestMatrices.gaussian(rows, cols, seed);
                    float[] s = TestMatrices.tiedActivations(cols, seed);
                    float[] c = SlowReference.colNorms(w, rows, cols);
                    PruneResult result = Pruner.prune(method, pattern, w, rows, cols, c, s);
                    for (int g = 0; g < rows * cols; g += nm[1]) {
                        assertEquals(nm[0], result.keep.get(g, g + nm[1]).cardinality(), pattern + " group at " + g);
                    }
                    assertEquals((long) rows * cols / nm[1] * nm[0], result.keptCount);
                    assertEquals(SlowReference.mask(method, pattern, w, rows, cols, c, s), result.keep);
                }
            }
        }
    }

    @Test
    void allEqualScoresKeepTheFirstNOfEachGroup() {
        int rows = 2;
        int cols = 8;
        float[] w = new float[rows * cols];
        java.util.Arrays.fill(w, 0.25f);
        float[] c = SlowReference.colNorms(w, rows, cols);
        PruneResult result = Pruner.prune(PruneMethod.MAGNITUDE, SparsityPattern.nOfM(2, 4), w, rows, cols, c, null);
        BitSet expected = new BitSet();
        for (int g = 0; g < rows * cols; g += 4) {
            expected.set(g, g + 2);
        }
        assertEquals(expected, result.keep);
    }

    @Test
    void dInNotDivisibleByMThrowsClearMessage() {
        int rows = 3;
        int cols = 10;
        float[] w = TestMatrices.gaussian(rows, cols, 1);
        float[] c = SlowReference.colNorms(w, rows, cols);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pruner.prune(PruneMethod.NOWAG_P, SparsityPattern.nOfM(2, 4), w, rows, cols, c, null));
        assertTrue(e.getMessage().contains("d_in=10 is not divisible by M=4"), e.getMessage());

        IllegalArgumentException e8 = assertThrows(IllegalArgumentException.class,
                () -> SparsityPattern.nOfM(4, 8).checkShape(4, 12));
        assertTrue(e8.getMessage().contains("d_in=12 is not divisible by M=8"), e8.getMessage());
    }

    @Test
    void nOfMRequiresZeroLessThanNLessThanM() {
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.nOfM(4, 4));
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.nOfM(5, 4));
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.nOfM(0, 4));
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.nOfM(-1, 4));
    }

    @Test
    void largeMUsesTheRadixPathAndStillMatchesReference() {
        SparsityPattern pattern = SparsityPattern.nOfM(20, 64);
        int rows = 5;
        int cols = 128;
        for (long seed = 1; seed <= 3; seed++) {
            float[] w = TestMatrices.tied(rows, cols, seed);
            float[] s = TestMatrices.activations(cols, seed);
            float[] c = SlowReference.colNorms(w, rows, cols);
            PruneResult result = Pruner.prune(PruneMethod.WANDA, pattern, w, rows, cols, c, s);
            assertEquals(SlowReference.mask(PruneMethod.WANDA, pattern, w, rows, cols, c, s), result.keep);
        }
    }
}
