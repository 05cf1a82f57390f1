package org.nowag.kernels.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The losses are the activation-weighted squared errors, with s == null meaning all ones. */
class ProxyLossTest {

    @Test
    void weightedSquaredErrorByHand() {
        float[] a = {1f, 2f, 3f, 4f};
        float[] b = {0f, 2f, 1f, 5f};
        float[] s = {2f, 0.5f};
        // rows: (1-0)^2*2 + 0 ; (3-1)^2*2 + (4-5)^2*0.5
        assertEquals(2 + 8 + 0.5, ProxyLoss.normalized(a, b, 2, 2, s));
        assertEquals(2 + 8 + 0.5, ProxyLoss.dataAware(a, b, 2, 2, s));
    }

    @Test
    void nullActivationsMeanAllOnes() {
        float[] a = {1f, -2f, 0.5f};
        float[] b = {0f, 0f, 0f};
        assertEquals(ProxyLoss.normalized(a, b, 1, 3, new float[] {1f, 1f, 1f}), ProxyLoss.normalized(a, b, 1, 3, null));
        assertEquals(1 + 4 + 0.25, ProxyLoss.dataAware(a, b, 1, 3, null));
    }

    @Test
    void differenceIsTakenInDoubleSoNearbyFloatsDoNotCancelToZero() {
        float x = 1f;
        float y = Math.nextUp(1f);
        double d = (double) y - x;
        assertEquals(d * d, ProxyLoss.normalized(new float[] {y}, new float[] {x}, 1, 1, null));
    }

    @Test
    void shapeMismatchIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ProxyLoss.normalized(new float[4], new float[3], 2, 2, null));
        assertThrows(IllegalArgumentException.class, () -> ProxyLoss.dataAware(new float[4], new float[4], 2, 2, new float[3]));
    }
}
