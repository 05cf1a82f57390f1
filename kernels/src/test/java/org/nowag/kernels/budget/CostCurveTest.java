package org.nowag.kernels.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Reading, restricting and re-costing curves: settings are exactly the points and the fillable interiors. */
class CostCurveTest {
    // kept 0..10: fillable 0-4 (spread 1), discrete 4-6, fillable 6-10 (spread 2)
    static CostCurve mixed() {
        return new CostCurve("m", 10, new long[] {0, 4, 6, 10}, new double[] {20, 8, 5, 1}, new double[4],
                new boolean[] {true, false, true}, new double[] {1, 0, 2}, new String[] {null, "a", "b", "c"});
    }

    @Test
    void fillableSegmentsInterpolateAndDiscreteOnesHaveNoInterior() {
        CostCurve c = mixed();
        assertEquals(20 - 12 * 0.25, c.lossAt(1), 1e-15);
        assertTrue(c.isSetting(3));
        assertFalse(c.isSetting(5));
        assertThrows(IllegalArgumentException.class, () -> c.lossAt(5));
        assertEquals(5 - 4 * 0.5, c.lossAt(8), 1e-15);
        assertEquals("b", c.labelAt(6));
        assertNull(c.labelAt(7));
        // interpolation bound m (c - m) / c * spread: 2 * 2 / 4 * 2 at cost 8
        assertEquals(2.0, c.errorBoundAt(8), 1e-15);
        assertEquals(0.0, c.errorBoundAt(6));
    }

    @Test
    void restrictingCutsFillableSegmentsAtTheLimitsAndDropsDiscretePointsOutside() {
        CostCurve r = mixed().restrict(2, 8);
        assertEquals(2, r.minCost());
        assertEquals(8, r.maxCost());
        assertEquals(mixed().lossAt(2), r.lossAt(2));
        assertEquals(mixed().lossAt(3), r.lossAt(3), 1e-12);
        assertEquals(mixed().lossAt(7), r.lossAt(7), 1e-12);
        assertFalse(r.isSetting(5));
        // the cut point's error is the interpolation bound there, and stays a valid bound inside
        assertEquals(mixed().errorBoundAt(2), r.errorBoundAt(2), 1e-15);
        assertTrue(r.errorBoundAt(3) >= mixed().errorBoundAt(3));
        // no setting costs 5 (inside a discrete segment): nothing left
        assertThrows(IllegalArgumentException.class, () -> mixed().restrict(5, 5));
        assertEquals(1, mixed().restrict(3, 3).points());
    }

    @Test
    void bitsOfPrunedMatricesAreAnAffineMapOfKeptWeights() {
        CostCurve bits = mixed().withCost(16 * 2, 32);
        assertEquals(32 + 32 * 4, bits.cost(1));
        assertEquals(32, bits.unit());
        assertFalse(bits.isSetting(32 + 32 * 7 + 1)); // in bits, fillable segments step by 32
        assertTrue(bits.isSetting(32 + 32 * 7));
        assertEquals(mixed().lossAt(7), bits.lossAt(32 + 32 * 7), 1e-12);
        assertEquals(8.0, bits.loss(1));
        // limits between steps snap inward to the nearest settings
        CostCurve r = bits.restrict(32 + 32 * 6 + 5, 32 + 32 * 9 - 1);
        assertEquals(32 + 32 * 7, r.minCost());
        assertEquals(32 + 32 * 8, r.maxCost());
        assertEquals(32, r.unit());
    }

    @Test
    void samplingAGranularCurveKeepsItsLossesAndBoundsAtTheGrid() {
        CostCurve s = mixed().sampled(new long[] {8, 1, 8, 4});
        assertEquals(3, s.points());
        assertEquals(Arrays.toString(new long[] {1, 4, 8}), Arrays.toString(new long[] {s.cost(0), s.cost(1), s.cost(2)}));
        assertEquals(mixed().lossAt(1), s.loss(0));
        assertEquals(mixed().errorBoundAt(8), s.errorBoundAt(8));
        assertFalse(s.fillable(0));
    }

    @Test
    void discreteSettingsOfEqualCostKeepTheLowerLossOrTheFirstGiven() {
        CostCurve c = CostCurve.discrete("d", 8, Arrays.asList(new CostCurve.Point(4, 3.0, "2:4"),
                new CostCurve.Point(4, 2.0, "4:8"), new CostCurve.Point(8, 0, "dense"), new CostCurve.Point(4, 2.0, "x")));
        assertEquals(2, c.points());
        assertEquals("4:8", c.label(0));
    }
}
