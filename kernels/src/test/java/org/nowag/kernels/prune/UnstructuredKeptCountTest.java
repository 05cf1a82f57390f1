package org.nowag.kernels.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nowag.kernels.TestMatrices;

/** Unstructured sparsity keeps exactly Math.round((1 - p) * n) weights in every group of n. */
class UnstructuredKeptCountTest {

    static final double[] SPARSITIES = {0.0, 0.1, 0.25, 1.0 / 3, 0.5, 0.7, 0.9, 0.99};
    static final int[][] SHAPES = {{1, 1}, {1, 3}, {3, 5}, {7, 7}, {13, 24}, {5, 100}};

    @Test
    void rowGroupsKeepRoundedCountInEveryRow() {
        for (PruneMethod method : PruneMethod.values()) {
            for (int[] shape : SHAPES) {
                for (double p : SPARSITIES) {
                    int rows = shape[0];
                    int cols = shape[1];
                    float[] w = TestMatrices.tied(rows, cols, rows * 31L + cols);
                    float[] c = SlowReference.colNorms(w, rows, cols);
                    PruneResult result = Pruner.prune(method, SparsityPattern.unstructured(p, SparsityPattern.Group.ROW),
                            w, rows, cols, c, TestMatrices.activations(cols, 7));
                    long expected = Math.round((1 - p) * cols);
                    for (int i = 0; i < rows; i++) {
                        assertEquals(expected, result.keep.get(i * cols, (i + 1) * cols).cardinality(),
                                method + " p=" + p + " row " + i);
                    }
                    assertEquals(expected * rows, result.keptCount);
                    assertEquals(result.keptCount, result.keep.cardinality());
                }
            }
        }
    }

    @Test
    void matrixGroupKeepsRoundedCountOfTheWholeMatrix() {
        for (PruneMethod method : PruneMethod.values()) {
            for (int[] shape : SHAPES) {
                for (double p : SPARSITIES) {
                    int rows = shape[0];
                    int cols = shape[1];
                    float[] w = TestMatrices.gaussian(rows, cols, rows * 17L + cols);
                    float[] c = SlowReference.colNorms(w, rows, cols);
                    PruneResult result = Pruner.prune(method, SparsityPattern.unstructured(p, SparsityPattern.Group.MATRIX),
                            w, rows, cols, c, null);
                    long expected = Math.round((1 - p) * rows * cols);
                    assertEquals(expected, result.keptCount, method + " p=" + p + " " + rows + "x" + cols);
                    assertEquals(expected, result.keep.cardinality());
                }
            }
        }
    }

    @Test
    void zeroSparsityKeepsEveryWeight() {
        float[] w = TestMatrices.gaussian(4, 6, 3);
        float[] c = SlowReference.colNorms(w, 4, 6);
        PruneResult result = Pruner.prune(PruneMethod.NOWAG_P,
                SparsityPattern.unstructured(0.0, SparsityPattern.Group.MATRIX), w, 4, 6, c, null);
        assertEquals(24, result.keptCount);
        assertEquals(0.0, result.proxyLoss);
        assertEquals(0.0, result.dataAwareLoss);
    }

    @Test
    void keptPerGroupIsMathRound() {
        SparsityPattern half = SparsityPattern.unstructured(0.5, SparsityPattern.Group.ROW);
        assertEquals(2, half.keptPerGroup(3)); // round(1.5) = 2, where the reference's int() would give 1
        assertEquals(3, half.keptPerGroup(5));
        assertEquals(0, half.keptPerGroup(0));
        assertEquals(117440512L, half.keptPerGroup(28672L * 8192));
        assertEquals(6, SparsityPattern.nOfM(2, 4).keptPerGroup(12));
    }
}
