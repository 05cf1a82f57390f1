package org.nowag.kernels.prune;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nowag.kernels.TestMatrices;
import org.nowag.kernels.norm.NoWagNormalizer;

/** Bad input fails fast with an IllegalArgumentException that names the problem. */
class BadInputTest {

    static final int ROWS = 4;
    static final int COLS = 8;
    static final SparsityPattern HALF = SparsityPattern.unstructured(0.5, SparsityPattern.Group.MATRIX);

    private static float[] w() {
        return TestMatrices.gaussian(ROWS, COLS, 1);
    }

    private static float[] c() {
        return SlowReference.colNorms(w(), ROWS, COLS);
    }

    private static void assertMessage(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message \"" + e.getMessage() + "\" lacks \"" + f + "\"");
        }
    }

    @Test
    void nanWeightIsRejectedNamingItsPosition() {
        float[] w = w();
        w[1 * COLS + 3] = Float.NaN;
        for (PruneMethod method : PruneMethod.values()) {
            assertMessage(() -> Pruner.prune(method, HALF, w, ROWS, COLS, c(), null), "NaN", "[1, 3]");
        }
        assertMessage(() -> NoWagNormalizer.accumulateColumnSumSquares(w, ROWS, COLS, new double[COLS]), "NaN", "[1, 3]");
        assertMessage(() -> Pruner.importance(PruneMethod.MAGNITUDE, w, ROWS, COLS, c(), new float[] {1, 1, 1, 1}, null), "NaN");
    }

    @Test
    void infiniteWeightIsRejected() {
        float[] w = w();
        w[0] = Float.NEGATIVE_INFINITY;
        assertMessage(() -> Pruner.prune(PruneMethod.MAGNITUDE, HALF, w, ROWS, COLS, c(), null), "Infinity");
        assertMessage(() -> NoWagNormalizer.rowNorms(w, ROWS, COLS, c()), "Infinity");
    }

    @Test
    void sparsityOutsideZeroToOneIsRejected() {
        for (double p : new double[] {-0.1, 1.0, 1.5, Double.NaN}) {
            assertMessage(() -> SparsityPattern.unstructured(p, SparsityPattern.Group.ROW), "sparsity=", "0 <= sparsity < 1");
        }
    }

    @Test
    void nAtLeastMIsRejected() {
        assertMessage(() -> SparsityPattern.nOfM(4, 4), "0 < N < M");
        assertMessage(() -> SparsityPattern.nOfM(8, 4), "0 < N < M");
        assertMessage(() -> SparsityPattern.nOfM(0, 4), "0 < N < M");
    }

    @Test
    void weightLengthNotRowsTimesColsIsRejected() {
        float[] shortW = new float[ROWS * COLS - 1];
        assertMessage(() -> Pruner.prune(PruneMethod.NOWAG_P, HALF, shortW, ROWS, COLS, c(), null), "w.length=31", "[4, 8]");
        assertMessage(() -> NoWagNormalizer.accumulateColumnSumSquares(shortW, ROWS, COLS, new double[COLS]), "w.length=31");
        assertMessage(() -> NoWagNormalizer.normalize(shortW, ROWS, COLS, c(), new float[ROWS]), "w.length=31");
    }

    @Test
    void activationLengthNotColsIsRejected() {
        assertMessage(() -> Pruner.prune(PruneMethod.WANDA, HALF, w(), ROWS, COLS, c(), new float[COLS + 1]), "s.length=9");
    }

    @Test
    void negativeOrNanActivationIsRejected() {
        float[] s = TestMatrices.activations(COLS, 1);
        s[2] = -1f;
        assertMessage(() -> Pruner.prune(PruneMethod.WANDA, HALF, w(), ROWS, COLS, c(), s), "s[2]", ">= 0");
        s[2] = Float.NaN;
        assertMessage(() -> Pruner.prune(PruneMethod.NOWAG_P, HALF, w(), ROWS, COLS, c(), s), "s[2]");
    }

    @Test
    void colNormsOfWrongLengthOrNotPositiveAreRejected() {
        assertMessage(() -> Pruner.prune(PruneMethod.NOWAG_P, HALF, w(), ROWS, COLS, new float[COLS - 1], null), "colNorms.length=7");
        assertMessage(() -> Pruner.prune(PruneMethod.NOWAG_P, HALF, w(), ROWS, COLS, new float[COLS], null), "colNorms[0]", "> 0");
    }

    @Test
    void nullMethodOrPatternIsRejected() {
        assertMessage(() -> Pruner.prune(null, HALF, w(), ROWS, COLS, c(), null), "method");
        assertMessage(() -> Pruner.prune(PruneMethod.WANDA, null, w(), ROWS, COLS, c(), null), "pattern");
        assertMessage(() -> SparsityPattern.unstructured(0.5, null), "group");
    }
}
