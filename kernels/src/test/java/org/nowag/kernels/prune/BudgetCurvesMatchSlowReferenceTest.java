package org.nowag.kernels.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nowag.kernels.TestMatrices;
import org.nowag.kernels.budget.CostCurve;
import org.nowag.kernels.budget.CurveSpec;
import org.nowag.kernels.budget.NOfMLoss;
import org.nowag.kernels.budget.PruneSketch;
import org.nowag.kernels.budget.RowLossProfile;

/**
 * The budget's pruning curves (package kernels.budget) against the slow reference of this package: scores by plain
 * loops (bit for bit the pruner's, tested in PrunerMatchesSlowReferenceTest), then for every kept count k a full sort
 * by (score desc, index asc), the k first kept and s_j W_ij^2 summed over the rest. Lives here to reuse that
 * reference. Curves must be exact at their points, within their stated bound everywhere else, equal to what the
 * production pruner reports, and the same when summarised from row blocks and merged.
 */
class BudgetCurvesMatchSlowReferenceTest {
    static final int[][] SHAPES = {{8, 16}, {13, 24}, {3, 5}, {1, 4}, {32, 64}};

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (PruneMethod method : PruneMethod.values()) {
            for (int[] shape : SHAPES) {
                for (String values : new String[] {"gaussian", "tied"}) {
                    for (String acts : new String[] {"none", "random", "tied"}) {
                        for (long seed = 1; seed <= 2; seed++) {
                            out.add(Arguments.of(method, shape[0], shape[1], values, acts, seed));
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    static float[] weights(String values, int rows, int cols, long seed) {
        return values.equals("tied") ? TestMatrices.tied(rows, cols, seed) : TestMatrices.gaussian(rows, cols, seed);
    }

    static float[] activations(String acts, int cols, long seed) {
        return acts.equals("random") ? TestMatrices.activations(cols, seed)
                : acts.equals("tied") ? TestMatrices.tiedActivations(cols, seed) : null;
    }

    /**
     * For every kept count k = 0..group size: the sum of s_j W_ij^2 over the group's indices not among the k first
     * in (score desc, index asc) order, in double. One sort, then each sum taken separately.
     */
    static double[] prunedLoss(float[] w, int cols, float[] s, List<Integer> group, float[] scores) {
        List<Integer> sorted = new ArrayList<>(group);
        sorted.sort((a, b) -> scores[a] != scores[b] ? (scores[a] > scores[b] ? -1 : 1) : Integer.compare(a, b));
        double[] out = new double[sorted.size() + 1];
        for (int kept = 0; kept <= sorted.size(); kept++) {
            double sum = 0;
            for (int t = kept; t < sorted.size(); t++) {
                int k = sorted.get(t);
                double x = w[k];
                sum += (s == null ? 1.0 : s[k % cols]) * x * x;
            }
            out[kept] = sum;
        }
        return out;
    }

    static double tol(double scale) {
        return 1e-12 * (1 + scale);
    }

    @ParameterizedTest(name = "{0} {1}x{2} w={3} s={4} seed={5}")
    @MethodSource("cases")
    void wholeMatrixCurveIsExactAtItsPointsAndWithinItsBoundBetween(PruneMethod method, int rows, int cols,
                                                                    String values, String acts, long seed) {
        float[] w = weights(values, rows, cols, seed);
        float[] s = activations(acts, cols, seed);
        float[] c = SlowReference.colNorms(w, rows, cols);
        float[] scores = SlowReference.scores(method, w, rows, cols, c, s);
        int n = rows * cols;
        List<Integer> all = SlowReference.range(0, n);
        double[] slow = prunedLoss(w, cols, s, all, scores);
        // fine (16 bits, no merged bins), and deliberately coarse (4 bits, at most 3 segments) so the bound matters
        for (int[] res : new int[][] {{16, n}, {4, 3}}) {
            CurveSpec spec = CurveSpec.of(SparsityPattern.Group.MATRIX, res[0], null);
            CostCurve curve = PruneSketch.of(method, spec, w, rows, cols, c, s).toCurve("m", n, res[1], null);
            assertEquals(0, curve.minCost());
            assertEquals(n, curve.maxCost());
            for (int p = 0; p < curve.points(); p++) {
                int k = (int) curve.cost(p);
                assertEquals(slow[k], curve.loss(p), tol(slow[0]), "point kept=" + k);
            }
            for (int k = 0; k <= n; k++) {
                double err = Math.abs(curve.lossAt(k) - slow[k]);
                assertTrue(err <= curve.errorBoundAt(k) + tol(slow[0]),
                        "kept=" + k + ": error " + err + " above the stated bound " + curve.errorBoundAt(k));
            }
            assertTrue(res[0] == 4 || curve.points() <= n + 1);
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2} w={3} s={4} seed={5}")
    @MethodSource("cases")
    void wholeMatrixCurvePointsEqualThePrunersOwnLoss(PruneMethod method, int rows, int cols, String values,
                                                     String acts, long seed) {
        float[] w = weights(values, rows, cols, seed);
        float[] s = activations(acts, cols, seed);
        float[] c = SlowReference.colNorms(w, rows, cols);
        int n = rows * cols;
        CostCurve curve = PruneSketch.of(method, CurveSpec.unstructured(SparsityPattern.Group.MATRIX), w, rows, cols,
                c, s).toCurve("m", n, n, null);
        int stride = Math.max(1, curve.points() / 64); // every point of small curves, 64 spread over large ones
        for (int p = curve.points() - 1; p >= 0; p -= stride) {
            long k = curve.cost(p);
            if (k == 0) continue; // sparsity 1 is not a pattern
            SparsityPattern pattern = SparsityPattern.unstructured(1.0 - (double) k / n, SparsityPattern.Group.MATRIX);
            PruneResult r = Pruner.prune(method, pattern, w, rows, cols, c, s);
            assertEquals(k, r.keptCount);
            assertEquals(r.dataAwareLoss, curve.loss(p), tol(r.dataAwareLoss), "kept=" + k);
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2} w={3} s={4} seed={5}")
    @MethodSource("cases")
    void perRowProfileIsExactForEveryKeptCountAndEqualsThePruner(PruneMethod method, int rows, int cols,
                                                                String values, String acts, long seed) {
        float[] w = weights(values, rows, cols, seed);
        float[] s = activations(acts, cols, seed);
        float[] c = SlowReference.colNorms(w, rows, cols);
        float[] scores = SlowReference.scores(method, w, rows, cols, c, s);
        RowLossProfile profile = PruneSketch.of(method, CurveSpec.unstructured(SparsityPattern.Group.ROW), w, rows,
                cols, c, s).rowProfile();
        double[] slowByKept = new double[cols + 1];
        for (int i = 0; i < rows; i++) {
            double[] row = prunedLoss(w, cols, s, SlowReference.range(i * cols, (i + 1) * cols), scores);
            for (int k = 0; k <= cols; k++) slowByKept[k] += row[k];
        }
        for (int k = 0; k <= cols; k++) {
            double slow = slowByKept[k];
            assertEquals(slow, profile.lossKeepingPerRow(k), tol(slow), "kept per row " + k);
            if (k > 0) {
                SparsityPattern pattern = SparsityPattern.unstructured(1.0 - (double) k / cols, SparsityPattern.Group.ROW);
                PruneResult r = Pruner.prune(method, pattern, w, rows, cols, c, s);
                assertEquals((long) k * rows, r.keptCount);
                assertEquals(r.dataAwareLoss, profile.lossKeepingPerRow(k), tol(slow), "kept per row " + k);
            }
        }
        // a grid of sparsities reads the same profile at the pruner's own counts
        int[] grid = RowLossProfile.keptPerRowForSparsities(cols, new double[] {0.7, 0.5, 0.5, 0.0});
        CostCurve onGrid = profile.toCurve("r", (long) rows * cols, grid);
        assertEquals(grid.length, onGrid.points());
        for (int p = 0; p < grid.length; p++) {
            assertEquals((long) grid[p] * rows, onGrid.cost(p));
            assertEquals(profile.lossKeepingPerRow(grid[p]), onGrid.loss(p));
        }
        assertEquals(cols, grid[grid.length - 1]);
        // the labels on the curve are patterns that prune to exactly the point's count
        CostCurve curve = profile.toCurve("r", (long) rows * cols, null);
        for (int p = 1; p < curve.points(); p++) {
            assertEquals(curve.cost(p), SparsityPattern.parse(curve.label(p)).keptPerGroup(cols) * rows);
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2} w={3} s={4} seed={5}")
    @MethodSource("cases")
    void nOfMLossEqualsTheSlowRankAndThePruner(PruneMethod method, int rows, int cols, String values, String acts,
                                               long seed) {
        float[] w = weights(values, rows, cols, seed);
        float[] s = activations(acts, cols, seed);
        float[] c = SlowReference.colNorms(w, rows, cols);
        float[] scores = SlowReference.scores(method, w, rows, cols, c, s);
        List<SparsityPattern> patterns = new ArrayList<>();
        for (SparsityPattern p : new SparsityPattern[] {SparsityPattern.nOfM(2, 4), SparsityPattern.nOfM(4, 8),
                SparsityPattern.nOfM(1, 4)}) {
            if (cols % p.m() == 0) patterns.add(p);
        }
        if (patterns.isEmpty()) return;
        PruneSketch sketch = PruneSketch.of(method, CurveSpec.of(null, 16, patterns), w, rows, cols, c, s);
        for (NOfMLoss l : sketch.nOfMLosses()) {
            SparsityPattern p = l.pattern();
            double slow = 0;
            for (int g = 0; g < rows * cols; g += p.m()) {
                slow += prunedLoss(w, cols, s, SlowReference.range(g, g + p.m()), scores)[p.n()];
            }
            assertEquals(slow, l.loss(), tol(slow), p.toString());
            PruneResult r = Pruner.prune(method, p, w, rows, cols, c, s);
            assertEquals(r.dataAwareLoss, l.loss(), tol(slow), p.toString());
            assertEquals(r.keptCount, l.point().cost);
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2} w={3} s={4} seed={5}")
    @MethodSource("cases")
    void rowBlocksMergedInOrderGiveTheWholeMatrixCurves(PruneMethod method, int rows, int cols, String values,
                                                       String acts, long seed) {
        float[] w = weights(values, rows, cols, seed);
        float[] s = activations(acts, cols, seed);
        float[] c = SlowReference.colNorms(w, rows, cols); // column norms of the WHOLE matrix, as the job passes them
        int n = rows * cols;
        List<SparsityPattern> patterns = cols % 4 == 0 ? Arrays.asList(SparsityPattern.nOfM(2, 4)) : null;
        for (SparsityPattern.Group group : SparsityPattern.Group.values()) {
            CurveSpec spec = CurveSpec.of(group, 12, patterns);
            PruneSketch whole = PruneSketch.of(method, spec, w, rows, cols, c, s);
            List<PruneSketch> blocks = new ArrayList<>();
            Random rnd = new Random(seed);
            for (int from = 0; from < rows; ) {
                int to = Math.min(rows, from + 1 + rnd.nextInt(Math.max(1, rows / 2)));
                float[] block = Arrays.copyOfRange(w, from * cols, to * cols);
                blocks.add(PruneSketch.of(method, spec, block, to - from, cols, c, s));
                from = to;
            }
            PruneSketch merged = PruneSketch.mergeInOrder(blocks);
            CostCurve a = whole.toCurve("m", n, n, null);
            CostCurve b = merged.toCurve("m", n, n, null);
            assertEquals(a.points(), b.points());
            for (int p = 0; p < a.points(); p++) {
                assertEquals(a.cost(p), b.cost(p));
                assertEquals(a.loss(p), b.loss(p), tol(a.loss(0)));
                if (p + 1 < a.points()) {
                    long mid = (a.cost(p) + a.cost(p + 1)) / 2;
                    if (a.isSetting(mid)) assertEquals(a.errorBoundAt(mid), b.errorBoundAt(mid), tol(a.errorBoundAt(mid)));
                }
            }
            if (patterns != null) {
                assertEquals(whole.nOfMLosses().get(0).loss(), merged.nOfMLosses().get(0).loss(),
                        tol(whole.nOfMLosses().get(0).loss()));
                assertEquals(n, merged.nOfMLosses().get(0).weights());
            }
        }
    }
}
