package org.nowag.kernels.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nowag.kernels.TestMatrices;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.nowag.kernels.prune.PruneMethod;
import org.nowag.kernels.prune.PruneResult;
import org.nowag.kernels.prune.Pruner;
import org.nowag.kernels.prune.SparsityPattern;

/**
 * The whole path the job will wire, on real pruning: sketches of row blocks, merged, become curves; the allocator
 * spends an overall sparsity; each matrix is pruned with the pattern its choice names. The kept total is exact (whole
 * matrix curves) or within one step (per row), every matrix respects its floor and ceiling, the losses the pruner
 * reports match the allocation within its stated bounds, and the allocation loses no more than uniform sparsity.
 */
class BudgetOnRealPruningTest {
    static final int[][] SHAPES = {{24, 40}, {40, 24}, {16, 64}, {30, 30}};

    static float[] scaled(float[] w, float factor) {
        for (int k = 0; k < w.length; k++) w[k] *= factor;
        return w;
    }

    @ParameterizedTest(name = "{0} sparsity {1}")
    @CsvSource({"NOWAG_P, 0.5", "NOWAG_P, 0.7", "MAGNITUDE, 0.6", "WANDA, 0.5", "WANDA, 0.7"})
    void anOverallSparsityIsSpentExactlyAndThePrunerAgrees(PruneMethod method, double sparsity) {
        SparsityPattern.Group group = method.defaultGroup();
        CurveSpec spec = CurveSpec.unstructured(group);
        List<CostCurve> curves = new ArrayList<>();
        List<float[]> weights = new ArrayList<>();
        List<float[]> colNorms = new ArrayList<>();
        List<float[]> acts = new ArrayList<>();
        long total = 0;
        for (int m = 0; m < SHAPES.length; m++) {
            int rows = SHAPES[m][0];
            int cols = SHAPES[m][1];
            float[] w = scaled(TestMatrices.gaussian(rows, cols, 100 + m), 1 + m); // matrices differ in scale
            float[] s = TestMatrices.activations(cols, 200 + m);
            double[] sumSquares = new double[cols];
            NoWagNormalizer.accumulateColumnSumSquares(w, rows, cols, sumSquares);
            float[] c = NoWagNormalizer.columnNorms(sumSquares);
            List<PruneSketch> blocks = new ArrayList<>();
            for (int from = 0; from < rows; from += 7) { // row blocks of 7, as executors would see them
                int to = Math.min(rows, from + 7);
                float[] block = java.util.Arrays.copyOfRange(w, from * cols, to * cols);
                blocks.add(PruneSketch.of(method, spec, block, to - from, cols, c, s));
            }
            curves.add(PruneSketch.mergeInOrder(blocks).toCurve("layer" + m, (long) rows * cols, 256, null));
            weights.add(w);
            colNorms.add(c);
            acts.add(s);
            total += (long) rows * cols;
        }
        Limits limits = Limits.sparsity(0.2, 0.9);
        Allocation a = Allocator.allocate(curves, Budget.sparsity(sparsity), limits, DualAscent.defaults());
        long target = Math.round((1 - sparsity) * total);
        assertEquals(target, a.budgetTotal);

        long kept = 0;
        double actualLoss = 0;
        double bound = 0;
        double uniformLoss = 0;
        long uniformKept = 0;
        long largestStep = 0;
        for (int m = 0; m < SHAPES.length; m++) {
            int rows = SHAPES[m][0];
            int cols = SHAPES[m][1];
            Allocation.Choice ch = a.choices.get(m);
            SparsityPattern pattern = ch.pruningPattern(group);
            PruneResult r = Pruner.prune(method, pattern, weights.get(m), rows, cols, colNorms.get(m), acts.get(m));
            assertEquals(ch.cost, r.keptCount, "the pattern prunes to the chosen count");
            double matrixSparsity = 1 - (double) r.keptCount / ((long) rows * cols);
            assertTrue(matrixSparsity >= 0.2 - 1e-12 && matrixSparsity <= 0.9 + 1e-12, ch.name + " " + matrixSparsity);
            assertTrue(Math.abs(r.dataAwareLoss - ch.loss) <= ch.lossErrorBound + 1e-9 * (1 + ch.loss),
                    ch.name + ": pruner " + r.dataAwareLoss + " vs curve " + ch.loss + " +- " + ch.lossErrorBound);
            kept += r.keptCount;
            actualLoss += r.dataAwareLoss;
            bound += ch.lossErrorBound;
            PruneResult u = Pruner.prune(method, SparsityPattern.unstructured(sparsity, group), weights.get(m), rows,
                    cols, colNorms.get(m), acts.get(m));
            uniformLoss += u.dataAwareLoss;
            uniformKept += u.keptCount;
            largestStep = Math.max(largestStep, group == SparsityPattern.Group.ROW ? rows : 1);
        }
        if (group == SparsityPattern.Group.MATRIX) {
            assertEquals(target, kept, "whole-matrix curves meet the overall count to the weight");
        } else {
            assertTrue(kept <= target && target - kept < largestStep, "per-row: within one row step, " + kept);
        }
        // uniform sparsity is one allocation within the same budget (here it keeps exactly as many or fewer)
        assertTrue(uniformKept <= target);
        assertTrue(a.totalLoss <= uniformLoss + a.gapBound + bound + 1e-9 * uniformLoss,
                "allocated " + a.totalLoss + " vs uniform " + uniformLoss);
        assertTrue(Math.abs(actualLoss - a.totalLoss) <= bound + 1e-9 * (1 + actualLoss));
        assertTrue(a.lambda > 0, "a binding budget has a positive multiplier");
        assertEquals("final", a.trace.get(a.trace.size() - 1).phase);
    }

    @ParameterizedTest(name = "kept {0} of {1}")
    @CsvSource({"1, 7", "3, 7", "6, 7", "1, 1000003", "123457, 1000003", "700000, 1000000", "1, 2147483000",
            "2147482999, 2147483000", "1503238553, 2147483000"})
    void aChosenCountBecomesAPatternThatKeepsExactlyThatCount(long kept, long weights) {
        Allocation.Choice c = new Allocation.Choice("m", weights, kept, 0, 0, null, 0, weights);
        SparsityPattern p = c.pruningPattern(SparsityPattern.Group.MATRIX);
        assertEquals(kept, p.keptPerGroup(weights));
        assertEquals(kept, SparsityPattern.parse(p.toString()).keptPerGroup(weights), "through the pattern's text");
    }
}
