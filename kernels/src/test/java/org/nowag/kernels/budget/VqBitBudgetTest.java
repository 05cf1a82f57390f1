package org.nowag.kernels.budget;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nowag.kernels.vq.NoWagVq;
import org.nowag.kernels.vq.VqConfig;
import org.nowag.kernels.vq.VqResult;

/**
 * Bit budgets for NoWag-VQ: the candidates, their stored bits against what a real quantization stores, the curve from
 * short runs, and the allocator on VQ-shaped discrete curves against every combination (brute force).
 */
class VqBitBudgetTest {
    static final double TOL = 1e-9;

    @Test
    void feasibleCandidatesNeedAtMostTwentyCodeBitsAndNoMoreCentroidsThanSubvectors() {
        // 64 x 256 at d = 6: 64 * 43 = 2752 subvectors; K = 64 fits, 4096 does not
        assertArrayEquals(new int[] {1}, VqBitCurve.feasible(64, 256, 6, VqBitCurve.DEFAULT_BITS));
        // 256 x 256 at d = 6: 11008 subvectors, K = 4096 fits; 3 bits (2^18) does not
        assertArrayEquals(new int[] {1, 2}, VqBitCurve.feasible(256, 256, 6, VqBitCurve.DEFAULT_BITS));
        // d = 2: K = 4, 16, 64, 256 all fit
        assertArrayEquals(new int[] {1, 2, 3, 4}, VqBitCurve.feasible(256, 256, 2, new int[] {4, 2, 1, 3, 2}));
        // d = 8: 3 bits is 24 code bits, over the limit, whatever the size
        assertArrayEquals(new int[] {1, 2}, VqBitCurve.feasible(1 << 14, 1 << 14, 8, VqBitCurve.DEFAULT_BITS));
        // every candidate against the definition
        Random rnd = new Random(3);
        for (int t = 0; t < 200; t++) {
            int rows = 1 + rnd.nextInt(40), cols = 1 + rnd.nextInt(40), d = 1 + rnd.nextInt(6);
            List<Integer> expected = new ArrayList<>();
            for (int b = 1; b <= 4; b++) {
                long n = (long) rows * (long) Math.ceil(cols / (double) d);
                if (b * d <= 20 && Math.pow(2, b * d) <= n) expected.add(b);
            }
            assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(),
                    VqBitCurve.feasible(rows, cols, d, VqBitCurve.DEFAULT_BITS), rows + "x" + cols + " d=" + d);
        }
    }

    @ParameterizedTest(name = "half={0}")
    @ValueSource(booleans = {true, false})
    void theCurveHoldsWhatEachShortRunStoresAndLoses(boolean half) {
        int rows = 24, cols = 10;  // d = 3 pads each row's last subvector
        Random rnd = new Random(7);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
        float[] s = new float[cols];
        for (int j = 0; j < cols; j++) s[j] = 0.5f + rnd.nextFloat();
        VqConfig base = new VqConfig(3, 4096, 50, 11L, half);
        CostCurve c = VqBitCurve.of("m", w, rows, cols, s, base, VqBitCurve.DEFAULT_BITS, 3, 1);
        // 24 * 4 = 96 subvectors: K = 8 and 64 fit, 512 does not
        assertEquals(2, c.points());
        for (int i = 0; i < c.points(); i++) {
            int b = VqBitCurve.bitsOf(c.label(i));
            VqConfig cfg = VqBitCurve.config(base, b, 3);
            assertEquals(1 << (3 * b), cfg.codebookSize);
            assertEquals(3, cfg.maxIterations);
            VqResult r = NoWagVq.quantize(w, rows, cols, s, cfg);
            assertEquals(r.storedBits(), c.cost(i));
            assertEquals(VqBitCurve.storedBits(rows, cols, 3, cfg.codebookSize, half), c.cost(i));
            assertEquals(r.bitsPerWeight() * rows * cols, c.cost(i), 1e-6);
            assertEquals(r.dataAwareLoss, c.loss(i), 0.0, "same seed, same run");
        }
        assertTrue(c.loss(1) < c.loss(0), "64 centroids fit better than 8");
        String msg = assertThrows(IllegalArgumentException.class,
                () -> VqBitCurve.of("tiny", w, 1, 4, null, new VqConfig(4, 16, 5, 0L, true), new int[] {1, 2}, 3, 1))
                .getMessage();
        assertTrue(msg.contains("tiny") && msg.contains("subvectors"), msg);
    }

    /** 2 to 4 matrices of random small shapes at d = 1 or 2, one discrete setting per feasible width. */
    static List<CostCurve> vqShapedCurves(long seed) {
        Random rnd = new Random(seed * 104729 + 17);
        int m = 2 + rnd.nextInt(3);
        int d = 1 + rnd.nextInt(2);
        List<CostCurve> curves = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            int rows = 2 + rnd.nextInt(5), cols = 2 + rnd.nextInt(5);
            int[] bits = VqBitCurve.feasible(rows, cols, d, VqBitCurve.DEFAULT_BITS);
            if (bits.length == 0) bits = new int[] {1};  // the shape only sets the costs here
            List<CostCurve.Point> pts = new ArrayList<>();
            double loss = 50 + rnd.nextInt(500);
            for (int b : bits) {
                pts.add(new CostCurve.Point(VqBitCurve.storedBits(rows, cols, d, 1 << (b * d), true), loss, VqBitCurve.label(b)));
                // short runs: usually lower with more bits, sometimes not
                loss = rnd.nextInt(6) == 0 ? loss + rnd.nextInt(20) : loss * (0.2 + 0.7 * rnd.nextDouble());
            }
            curves.add(CostCurve.discrete("m" + i, (long) rows * cols, pts));
        }
        return curves;
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void aBitsPerWeightBudgetIsNeverExceededAndLeavesLessThanOneUsefulStepOfAnyMatrix(long seed) {
        List<CostCurve> curves = vqShapedCurves(seed);
        List<BruteForce.Options> opts = new ArrayList<>();
        long weights = 0;
        long floor = 0;
        long ceiling = 0;
        for (CostCurve c : curves) {
            opts.add(BruteForce.options(c, 0, Double.POSITIVE_INFINITY));
            weights += c.weights();
            floor += c.minCost();
            ceiling += c.maxCost();
        }
        double[] best = BruteForce.optimumByBudget(opts, (int) ceiling);
        for (long total = floor; total <= ceiling + 3; total++) {
            double bits = (total + 0.5) / weights;  // floor(bits * N) = total
            Allocation a = Allocator.allocate(curves, Budget.bitsPerWeight(bits), Limits.none(), DualAscent.defaults());
            assertEquals(total, a.budgetTotal);
            assertTrue(a.totalCost <= total, "stored " + a.totalCost + " over the budget " + total);
            double opt = best[(int) Math.min(total, ceiling)];
            double tol = TOL * (1 + Math.abs(opt));
            assertTrue(a.totalLoss >= opt - tol);
            assertTrue(a.totalLoss <= opt + a.gapBound + tol, "budget " + total + ": loss " + a.totalLoss
                    + " > optimum " + opt + " + gap bound " + a.gapBound);
            assertTrue(a.lowerBound <= opt + tol);
            long slack = total - a.totalCost;
            for (int i = 0; i < curves.size(); i++) {
                Allocation.Choice c = a.choices.get(i);
                CostCurve curve = curves.get(i);
                assertTrue(curve.isPoint(c.cost), c.name + ": a candidate");
                for (int k = 0; k < curve.points(); k++) {
                    boolean fits = curve.cost(k) > c.cost && curve.cost(k) - c.cost <= slack;
                    assertTrue(!fits || curve.loss(k) >= c.loss, "budget " + total + ": " + c.name + " could take "
                            + curve.label(k) + " bits within the slack " + slack);
                }
            }
        }
        // at the total of any Lagrangian solution, optimal
        for (double lambda : BruteForce.candidateMultipliers(opts)) {
            for (double l : new double[] {lambda * 0.999, lambda * 1.001}) {
                long total = (long) BruteForce.lagrangian(opts, l)[0];
                Allocation a = Allocator.allocate(curves, Budget.bitsPerWeight((total + 0.5) / weights), Limits.none(),
                        DualAscent.defaults());
                assertEquals(best[(int) total], a.totalLoss, TOL * (1 + best[(int) total]), "budget " + total);
            }
        }
    }
}
