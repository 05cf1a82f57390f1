package org.nowag.kernels.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nowag.kernels.TestMatrices;

/** Scores are never NaN or -0.0, s plays the role each method gives it, and NoWag-P ignores column and global scale. */
class ImportanceTest {

    static final int ROWS = 6;
    static final int COLS = 10;

    private static float[] score(PruneMethod method, float[] w, float[] s) {
        float[] c = SlowReference.colNorms(w, ROWS, COLS);
        return Pruner.importance(method, w, ROWS, COLS, c, SlowReference.rowNorms(w, ROWS, COLS, c), s);
    }

    @Test
    void scoresAreNonNegativeWithoutNegativeZero() {
        float[] w = TestMatrices.tied(ROWS, COLS, 1);
        w[0] = -0.0f;
        float[] s = TestMatrices.tiedActivations(COLS, 1);
        s[1] = -0.0f; // allowed (it is >= 0) and must not turn scores into -0.0
        for (PruneMethod method : PruneMethod.values()) {
            for (float x : score(method, w, s)) {
                assertTrue(Float.floatToRawIntBits(x) >= 0 && !Float.isNaN(x), method + ": " + x);
            }
        }
    }

    @Test
    void magnitudeIgnoresActivationsAndDataFreeWandaIsMagnitude() {
        float[] w = TestMatrices.gaussian(ROWS, COLS, 2);
        float[] s = TestMatrices.activations(COLS, 2);
        assertArrayEquals(score(PruneMethod.MAGNITUDE, w, null), score(PruneMethod.MAGNITUDE, w, s), 0f);
        assertArrayEquals(score(PruneMethod.MAGNITUDE, w, null), score(PruneMethod.WANDA, w, null), 0f);
    }

    @Test
    void nowagPIsNearlyInvariantToScalingAColumnOrTheWholeMatrix() {
        // Column scaling is undone by c_j and a global scale by c and r together (up to eps and rounding).
        // Scaling one row of W is NOT an invariance: it changes every column norm, hence every other row.
        float[] w = TestMatrices.gaussian(ROWS, COLS, 3);
        float[] s = TestMatrices.activations(COLS, 3);
        float[] base = score(PruneMethod.NOWAG_P, w, s);
        float[] scaled = w.clone();
        for (int k = 0; k < scaled.length; k++) {
            scaled[k] *= 8f;
        }
        for (int i = 0; i < ROWS; i++) {
            scaled[i * COLS + 4] *= 0.125f; // column 4
        }
        float[] after = score(PruneMethod.NOWAG_P, scaled, s);
        for (int k = 0; k < base.length; k++) {
            assertEquals(base[k], after[k], 1e-4 * base[k] + 1e-9, "score " + k);
        }
    }
}
