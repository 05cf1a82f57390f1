package org.nowag.kernels.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Bad budgets and bad curves fail before anything is allocated, with a message naming the numbers. */
class AllocatorBadInputTest {

    static CostCurve curve(String name, long weights, long[] cost, double[] loss) {
        List<CostCurve.Point> pts = new ArrayList<>();
        for (int i = 0; i < cost.length; i++) pts.add(new CostCurve.Point(cost[i], loss[i], null));
        return CostCurve.discrete(name, weights, pts);
    }

    static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void aBudgetBelowTheFloorsNamesTheBudgetTheFloorTotalAndTheLargestFloors() {
        List<CostCurve> curves = Arrays.asList(
                curve("q_proj", 100, new long[] {30, 60, 100}, new double[] {9, 4, 0}),
                curve("down_proj", 200, new long[] {80, 150, 200}, new double[] {9, 4, 0}));
        String m = message(() -> Allocator.allocate(curves, Budget.atMost(100, "kept weights"), null, null));
        assertTrue(m.contains("100 kept weights") && m.contains("110") && m.contains("down_proj 80")
                && m.contains("infeasible"), m);
    }

    @Test
    void sparsityFloorsThatForbidTheTargetAreRefused() {
        List<CostCurve> curves = Arrays.asList(
                curve("a", 10, new long[] {1, 5, 10}, new double[] {9, 4, 0}),
                curve("b", 10, new long[] {1, 5, 10}, new double[] {9, 4, 0}));
        // 95% overall keeps 1 of 20; a 90% ceiling (kept >= 1 of 10 each) already keeps 2
        String m = message(() -> Allocator.allocate(curves, Budget.sparsity(0.95), Limits.sparsity(0, 0.9), null));
        assertTrue(m.contains("overall sparsity 0.95") && m.contains("= 1 kept weights") && m.contains("total 2 "), m);
        // 10% overall keeps 18 of 20; a 50% floor (kept <= 5 of 10 each) reaches only 10
        String r = message(() -> Allocator.allocate(curves, Budget.sparsity(0.1), Limits.sparsity(0.5, 0.9), null));
        assertTrue(r.contains("cannot be reached") && r.contains("18") && r.contains("total 10 "), r);
    }

    @Test
    void aNaNLossIsRefusedNamingTheMatrixAndTheSetting() {
        String m = message(() -> curve("v_proj", 10, new long[] {2, 5}, new double[] {1, Double.NaN}));
        assertTrue(m.contains("v_proj") && m.contains("NaN") && m.contains("cost 5"), m);
        String inf = message(() -> new CostCurve("o", 10, new long[] {1, 2}, new double[] {Double.POSITIVE_INFINITY, 0},
                new double[2], new boolean[1], new double[1], new String[2]));
        assertTrue(inf.contains("Infinity"), inf);
    }

    @Test
    void noCurvesDuplicateNamesAndRulesThatExcludeEverythingAreRefused() {
        assertTrue(message(() -> Allocator.allocate(new ArrayList<>(), Budget.sparsity(0.5), null, null))
                .contains("no cost curves"));
        CostCurve a = curve("a", 10, new long[] {1, 10}, new double[] {1, 0});
        assertTrue(message(() -> Allocator.allocate(Arrays.asList(a, a), Budget.sparsity(0.5), null, null))
                .contains("a has two cost curves"));
        String m = message(() -> Allocator.allocate(Arrays.asList(a), Budget.sparsity(0.5),
                Limits.none().withSparsityRule("^a$", 0.3, 0.6), null));
        assertTrue(m.contains("matrix a") && m.contains("no setting within its limits [4, 7]"), m);
        String c = message(() -> Limits.sparsity(0.2, 0.9).withSparsityRule("a", 0.95, 0.99).costRange("a", 10));
        assertTrue(c.contains("leave no room"), c);
        assertTrue(message(() -> CostCurve.discrete("x", 10, new ArrayList<>())).contains("at least one setting"));
        assertTrue(message(() -> curve("x", 10, new long[] {-1}, new double[] {0})).contains("negative cost"));
    }

    @Test
    void theBudgetIsResolvedFromTheTotalSizeOfTheMatricesAllocated() {
        assertEquals(Math.round(0.3 * 1001), Budget.sparsity(0.7).total(1001));
        assertEquals(2502, Budget.bitsPerWeight(2.5).total(1001));
        assertEquals(77, Budget.atMost(77, "bits").total(1001));
        assertTrue(message(() -> Budget.sparsity(1.0)).contains("[0, 1)"));
        assertTrue(message(() -> Budget.bitsPerWeight(Double.NaN)).contains("positive"));
    }

    @Test
    void aBudgetThatDoesNotBindKeepsEverySettingOfLeastLossAndMultiplierZero() {
        List<CostCurve> curves = Arrays.asList(
                curve("a", 10, new long[] {2, 5, 10}, new double[] {9, 4, 0}),
                curve("b", 10, new long[] {2, 5, 10}, new double[] {9, 4, 4}));
        Allocation x = Allocator.allocate(curves, Budget.atMost(100, "units"), null, null);
        assertEquals(0.0, x.lambda);
        assertEquals(10, x.choices.get(0).cost);
        assertEquals(5, x.choices.get(1).cost); // equal loss at 10: the cheaper setting
        assertEquals(4.0, x.totalLoss);
        assertEquals(x.totalLoss, x.lowerBound);
    }
}
