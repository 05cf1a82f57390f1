package org.nowag.kernels.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.BitSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nowag.kernels.TestMatrices;

/**
 * A matrix large enough (over 2^20 elements) for the whole-matrix selection to take its two-pass 16-bit histogram
 * path, which the small reference cases never reach: the mask is the slow sort-based reference's, exactly, with tied
 * weights (many keys equal to the threshold) and without.
 */
class LargeGroupPruningTest {

    @ParameterizedTest
    @CsvSource({
            "NOWAG_P, MATRIX, gaussian", "NOWAG_P, MATRIX, tied",
            "MAGNITUDE, MATRIX, gaussian", "MAGNITUDE, MATRIX, tied",
            "WANDA, MATRIX, tied", "WANDA, ROW, gaussian"})
    void maskEqualsTheSlowReference(PruneMethod method, SparsityPattern.Group group, String values) {
        int rows = 1030;  // 1030 x 1024 = 1,054,720 elements >= TopKSelector.DEFAULT_LARGE_GROUP
        int cols = 1024;
        float[] w = values.equals("tied") ? TestMatrices.tied(rows, cols, 7) : TestMatrices.gaussian(rows, cols, 7);
        float[] s = TestMatrices.activations(cols, 7);
        float[] c = SlowReference.colNorms(w, rows, cols);
        SparsityPattern pattern = SparsityPattern.unstructured(0.5, group);
        BitSet expected = SlowReference.mask(method, pattern, w, rows, cols, c, s);
        PruneResult result = Pruner.prune(method, pattern, w, rows, cols, c, s);
        assertEquals(expected, result.keep);
        assertEquals(expected.cardinality(), result.keptCount);
    }
}
