package org.nowag.kernels.budget;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** OWL's rule on hand-made numbers (worked out on paper below), and its outlier statistic. */
class OwlTest {

    @Test
    void layersWithMoreOutliersArePrunedLessAndTheMeanStaysAtTheTarget() {
        // ratios 1, 2, 3, 6: normalised 0, 0.2, 0.4, 1; times 2 * 0.08: 0, 0.032, 0.064, 0.16; mean 0.064
        // sparsity = 0.7 - (a - 0.064) = 0.764, 0.732, 0.700, 0.604
        double[] s = Owl.layerSparsities(new double[] {1, 2, 3, 6}, 0.7, Owl.DEFAULT_LAMBDA);
        assertArrayEquals(new double[] {0.764, 0.732, 0.700, 0.604}, s, 1e-12);
        assertEquals(0.7, (s[0] + s[1] + s[2] + s[3]) / 4, 1e-12);
        // the ratios' scale does not matter (min-max normalised), and the spread is 2 * lambda
        assertArrayEquals(s, Owl.layerSparsities(new double[] {10, 20, 30, 60}, 0.7, 0.08), 1e-12);
        assertEquals(2 * 0.08, s[0] - s[3], 1e-12);
    }

    @Test
    void equalRatiosGiveEveryLayerTheTargetAndNonPositiveSparsityBecomesOnePercent() {
        assertArrayEquals(new double[] {0.5, 0.5}, Owl.layerSparsities(new double[] {3, 3}, 0.5, 0.08), 0.0);
        // target 0.05, lambda 0.08: a = 0, 0.16, mean 0.08 -> 0.13 and -0.03 -> 0.01 (the reference's clamp)
        assertArrayEquals(new double[] {0.13, 0.01}, Owl.layerSparsities(new double[] {0, 1}, 0.05, 0.08), 1e-12);
    }

    @Test
    void theOutlierRatioCountsMetricsStrictlyAboveMTimesTheLayerMean() {
        // nine 1s and one 31: mean 4, threshold 5 * 4 = 20: one outlier in ten = 10%
        float[] metric = {1, 1, 1, 1, 1, 1, 1, 1, 1, 31};
        double[] sc = Owl.sumAndCount(metric);
        double threshold = Owl.DEFAULT_M * sc[0] / sc[1];
        assertEquals(20.0, threshold);
        assertEquals(10.0, Owl.outlierRatio(Owl.countAbove(metric, threshold), (long) sc[1]));
        // strictly above: a metric equal to the threshold is no outlier
        assertEquals(0, Owl.countAbove(new float[] {20f}, 20.0));
        // two blocks of one layer add up
        double[] a = Owl.sumAndCount(new float[] {1, 1, 1, 1, 1});
        double[] b = Owl.sumAndCount(new float[] {1, 1, 1, 1, 31});
        assertEquals(sc[0], a[0] + b[0]);
        assertEquals(sc[1], a[1] + b[1]);
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Owl.layerSparsities(new double[0], 0.5, 0.08));
        assertThrows(IllegalArgumentException.class, () -> Owl.layerSparsities(new double[] {1, Double.NaN}, 0.5, 0.08));
        assertThrows(IllegalArgumentException.class, () -> Owl.layerSparsities(new double[] {1, 2}, 1.0, 0.08));
        String m = assertThrows(IllegalArgumentException.class,
                () -> Owl.layerSparsities(new double[] {0, 1}, 0.95, 0.08)).getMessage();
        assertTrue(m.contains("layer 0") && m.contains("lower lambda"), m);
    }
}
