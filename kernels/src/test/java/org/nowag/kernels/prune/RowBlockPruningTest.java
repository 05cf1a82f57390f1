package org.nowag.kernels.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.BitSet;

import org.junit.jupiter.api.Test;
import org.nowag.kernels.TestMatrices;
import org.nowag.kernels.norm.NoWagNormalizer;

/**
 * Row groups and N:M never look across rows, so pruning row blocks (each with the whole matrix's column norms,
 * combined from per-block sums of squares) gives the mask and values of one call on the whole matrix.
 */
class RowBlockPruningTest {

    @Test
    void rowBlocksWithWholeMatrixColNormsGiveTheSameMaskAsOneCall() {
        int rows = 37;
        int cols = 48;
        int[] blockStarts = {0, 5, 6, 20, 37};
        SparsityPattern[] patterns = {
                SparsityPattern.unstructured(0.5, SparsityPattern.Group.ROW),
                SparsityPattern.unstructured(0.7, SparsityPattern.Group.ROW),
                SparsityPattern.nOfM(2, 4),
                SparsityPattern.nOfM(4, 8)};
        for (long seed = 1; seed <= 3; seed++) {
            float[] w = seed == 2 ? TestMatrices.tied(rows, cols, seed) : TestMatrices.gaussian(rows, cols, seed);
            float[] s = TestMatrices.activations(cols, seed);
            double[] acc = new double[cols];
            for (int b = 0; b + 1 < blockStarts.length; b++) {
                NoWagNormalizer.accumulateColumnSumSquares(block(w, cols, blockStarts[b], blockStarts[b + 1]),
                        blockStarts[b + 1] - blockStarts[b], cols, acc);
            }
            float[] colNorms = NoWagNormalizer.columnNorms(acc);
            for (PruneMethod method : PruneMethod.values()) {
                for (SparsityPattern pattern : patterns) {
                    PruneResult whole = Pruner.prune(method, pattern, w, rows, cols, colNorms, s);
                    BitSet joined = new BitSet();
                    float[] joinedValues = new float[w.length];
                    double proxyLoss = 0;
                    for (int b = 0; b + 1 < blockStarts.length; b++) {
                        int from = blockStarts[b];
                        int n = blockStarts[b + 1] - from;
                        PruneResult part = Pruner.prune(method, pattern, block(w, cols, from, from + n), n, cols, colNorms, s);
                        part.keep.stream().forEach(i -> joined.set(from * cols + i));
                        System.arraycopy(part.pruned, 0, joinedValues, from * cols, part.pruned.length);
                        proxyLoss += part.proxyLoss;
                    }
                    assertEquals(whole.keep, joined, method + " " + pattern);
                    assertArrayEquals(whole.pruned, joinedValues);
                    assertEquals(whole.proxyLoss, proxyLoss, 1e-12 * Math.max(1, whole.proxyLoss));
                }
            }
        }
    }

    private static float[] block(float[] w, int cols, int fromRow, int toRow) {
        return Arrays.copyOfRange(w, fromRow * cols, toRow * cols);
    }
}
