package org.nowag.kernels.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nowag.kernels.TestMatrices;

/** Every method, group, sparsity and activation flavour selects exactly the mask of the slow sort-based reference. */
class PrunerMatchesSlowReferenceTest {

    static final int[][] SHAPES = {{8, 16}, {13, 24}, {1, 4}, {32, 64}, {3, 5}};
    static final double[] SPARSITIES = {0.25, 0.5, 0.7};
    static final long[] SEEDS = {1, 2, 3};

    static Stream<Arguments> unstructuredCases() {
        List<Arguments> cases = new ArrayList<>();
        for (PruneMethod method : PruneMethod.values()) {
            for (int[] shape : SHAPES) {
                for (double p : SPARSITIES) {
                    for (SparsityPattern.Group group : SparsityPattern.Group.values()) {
                        for (String values : new String[] {"gaussian", "tied"}) {
                            for (String acts : new String[] {"none", "random", "tied"}) {
                                for (long seed : SEEDS) {
                                    cases.add(Arguments.of(method, shape[0], shape[1],
                                            SparsityPattern.unstructured(p, group), values, acts, seed));
                                }
                            }
                        }
                    }
                }
            }
        }
        return cases.stream();
    }

    static Stream<Arguments> nOfMCases() {
        List<Arguments> cases = new ArrayList<>();
        int[][] shapes = {{8, 16}, {13, 24}, {1, 8}, {32, 64}};
        for (PruneMethod method : PruneMethod.values()) {
            for (int[] shape : shapes) {
                for (SparsityPattern pattern : new SparsityPattern[] {
                        SparsityPattern.nOfM(2, 4), SparsityPattern.nOfM(4, 8), SparsityPattern.nOfM(1, 4)}) {
                    for (String values : new String[] {"gaussian", "tied"}) {
                        for (String acts : new String[] {"none", "random", "tied"}) {
                            for (long seed : SEEDS) {
                                cases.add(Arguments.of(method, shape[0], shape[1], pattern, values, acts, seed));
                            }
                        }
                    }
                }
            }
        }
        return cases.stream();
    }

    static float[] weights(String values, int rows, int cols, long seed) {
        return values.equals("tied") ? TestMatrices.tied(rows, cols, seed) : TestMatrices.gaussian(rows, cols, seed);
    }

    static float[] activations(String acts, int cols, long seed) {
        switch (acts) {
            case "random":
                return TestMatrices.activations(cols, seed);
            case "tied":
                return TestMatrices.tiedActivations(cols, seed);
            default:
                return null;
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2} {3} w={4} s={5} seed={6}")
    @MethodSource("unstructuredCases")
    void unstructuredMaskEqualsSlowReference(PruneMethod method, int rows, int cols, SparsityPattern pattern,
                                             String values, String acts, long seed) {
        assertSameMaskAsReference(method, rows, cols, pattern, values, acts, seed);
    }

    @ParameterizedTest(name = "{0} {1}x{2} {3} w={4} s={5} seed={6}")
    @MethodSource("nOfMCases")
    void nOfMMaskEqualsSlowReference(PruneMethod method, int rows, int cols, SparsityPattern pattern,
                                     String values, String acts, long seed) {
        assertSameMaskAsReference(method, rows, cols, pattern, values, acts, seed);
    }

    @ParameterizedTest(name = "{0} {1}x{2} {3} w={4} s={5} seed={6}")
    @MethodSource("unstructuredCases")
    void importanceScoresEqualSlowReferenceBitForBit(PruneMethod method, int rows, int cols, SparsityPattern pattern,
                                                     String values, String acts, long seed) {
        float[] w = weights(values, rows, cols, seed);
        float[] s = activations(acts, cols, seed);
        float[] c = SlowReference.colNorms(w, rows, cols);
        float[] r = SlowReference.rowNorms(w, rows, cols, c);
        float[] expected = SlowReference.scores(method, w, rows, cols, c, s);
        float[] actual = Pruner.importance(method, w, rows, cols, c, r, s);
        for (int k = 0; k < expected.length; k++) {
            assertEquals(Float.floatToIntBits(expected[k]), Float.floatToIntBits(actual[k]), "score " + k);
        }
    }

    private static void assertSameMaskAsReference(PruneMethod method, int rows, int cols, SparsityPattern pattern,
                                                  String values, String acts, long seed) {
        float[] w = weights(values, rows, cols, seed);
        float[] s = activations(acts, cols, seed);
        float[] c = SlowReference.colNorms(w, rows, cols);
        BitSet expected = SlowReference.mask(method, pattern, w, rows, cols, c, s);
        PruneResult result = Pruner.prune(method, pattern, w, rows, cols, c, s);
        assertEquals(expected, result.keep);
        assertEquals(expected.cardinality(), result.keptCount);
    }
}
