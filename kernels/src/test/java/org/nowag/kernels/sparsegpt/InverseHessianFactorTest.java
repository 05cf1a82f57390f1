package org.nowag.kernels.sparsegpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InverseHessianFactorTest {

    /** The blocked factor against the unblocked one, relative to the largest |U| of each row. */
    private static void assertEqualsSlow(double[] g, int d, int panel, int chunkDoubles) {
        boolean[] deadSlow = new boolean[d];
        double[] slow = SlowInverseHessianFactor.of(g, d, 0.01, deadSlow);
        boolean[] dead = new boolean[d];
        double[] a = g.clone();
        InverseHessianFactor.factorInPlace(a, d, 0.01, dead, panel, chunkDoubles);
        assertArrayEquals(deadSlow, dead, "dead columns");
        for (int i = 0; i < d; i++) {
            double scale = 0;
            for (int j = i; j < d; j++) scale = Math.max(scale, Math.abs(slow[i * d + j]));
            for (int j = i; j < d; j++) {
                assertEquals(slow[i * d + j], a[i * d + j], 1e-10 * scale, "U[" + i + ", " + j + "] d=" + d
                        + " panel=" + panel + " chunk=" + chunkDoubles);
            }
        }
    }

    @ParameterizedTest(name = "d={0} panel={1} chunk={2} dead={3}")
    @CsvSource({
        "1, 8, 64, -1",
        "5, 8, 64, -1",       // d smaller than a panel
        "8, 8, 64, 3",        // exactly one panel
        "32, 8, 1000000, -1", // a multiple of the panel, one chunk per GEMM
        "37, 8, 64, -1",      // not a multiple of the panel, many chunks
        "37, 8, 1, 36",       // one row per chunk, dead last column
        "45, 16, 100, 0",     // dead first column
        "61, 7, 333, 30",
        "300, 128, 4194304, 17",  // the default panel and chunk, d not a multiple of 128
    })
    void blockedFactorEqualsTheUnblockedReference(int d, int panel, int chunkDoubles, int dead) {
        for (long seed = 1; seed <= 2; seed++) {
            double[] g = SparseGptTest.correlatedGram(new Random(seed), 2 * d + 3, d, dead);
            assertEqualsSlow(g, d, panel, chunkDoubles);
        }
    }

    @Test
    void severalDeadColumnsAndAnIllConditionedGramStillMatch() {
        int d = 50;
        Random rnd = new Random(9);
        // fewer samples than columns: X^T X is singular and only the damping makes it definite
        double[] g = SparseGptTest.correlatedGram(rnd, 20, d, 7);
        for (int j : new int[] {0, 13, 14, 49}) {
            for (int k = 0; k < d; k++) {
                g[j * d + k] = 0;
                g[k * d + j] = 0;
            }
        }
        assertEqualsSlow(g, d, 8, 40);
    }

    @Test
    void factorInPlaceLeavesTheStrictLowerTriangleUntouched() {
        int d = 29;
        double[] g = SparseGptTest.correlatedGram(new Random(4), 70, d, 5);
        double[] a = g.clone();
        InverseHessianFactor.factorInPlace(a, d, 0.01, new boolean[d], 8, 50);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                assertEquals(Double.doubleToRawLongBits(g[i * d + j]), Double.doubleToRawLongBits(a[i * d + j]),
                        "X^T X [" + i + ", " + j + "]");
            }
        }
    }

    @Test
    void onlyTheUpperTriangleOfTheGramIsRead() {
        int d = 21;
        double[] g = SparseGptTest.correlatedGram(new Random(6), 50, d, -1);
        double[] scrambled = g.clone();
        for (int i = 0; i < d; i++) for (int j = 0; j < i; j++) scrambled[i * d + j] = Double.NaN;
        double[] a = g.clone();
        InverseHessianFactor.factorInPlace(a, d, 0.01, new boolean[d], 4, 30);
        InverseHessianFactor.factorInPlace(scrambled, d, 0.01, new boolean[d], 4, 30);
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) assertEquals(a[i * d + j], scrambled[i * d + j], "U[" + i + ", " + j + "]");
        }
    }

    @Test
    void ofReturnsAnUpperTriangularCopyAndKeepsItsInput() {
        int d = 140;  // two default panels
        double[] g = SparseGptTest.correlatedGram(new Random(8), 300, d, -1);
        double[] before = g.clone();
        double[] u = InverseHessianFactor.of(g, d, 0.01, new boolean[d]);
        assertArrayEquals(before, g);
        for (int i = 0; i < d; i++) for (int j = 0; j < i; j++) assertEquals(0.0, u[i * d + j]);
        assertEqualsSlow(g, d, InverseHessianFactor.PANEL, OffHeapMatrix.CHUNK_DOUBLES);
    }

    @Test
    void anIndefiniteMatrixIsRefusedNamingThePivotAndATooLargeDimensionIsRefused() {
        int d = 20;
        double[] g = SparseGptTest.correlatedGram(new Random(2), 60, d, -1);
        g[3 * d + 3] = 1e-9;  // a tiny diagonal with large off-diagonals in its row: not definite even after damping
        g[3 * d + 11] = g[11 * d + 3] = 1e3;
        String msg = assertThrows(IllegalArgumentException.class,
                () -> InverseHessianFactor.factorInPlace(g.clone(), d, 0.0, new boolean[d], 8, 50)).getMessage();
        assertTrue(msg.contains("not positive definite") && msg.contains("pivot 3 "), msg);
        String big = assertThrows(IllegalArgumentException.class,
                () -> InverseHessianFactor.checkDim(InverseHessianFactor.MAX_DIM + 1)).getMessage();
        assertTrue(big.contains("d_in=46341") && big.contains("46340"), big);
        InverseHessianFactor.checkDim(InverseHessianFactor.MAX_DIM);
    }
}
