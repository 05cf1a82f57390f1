package org.nowag.kernels.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RoPE frequencies: theta^(-2j/d), and Llama 3's scaling keeps short wavelengths, divides long ones by factor. */
class RopeScalingTest {

    @Test
    void plainFrequenciesAreThetaToTheMinus2jOverD() {
        float[] f = RopeScaling.none().inverseFrequencies(8, 10000.0);
        for (int j = 0; j < 4; j++) assertEquals(Math.pow(10000.0, -2.0 * j / 8), f[j], 1e-7 * Math.pow(10000.0, -2.0 * j / 8));
        float[] lin = RopeScaling.linear(4).inverseFrequencies(8, 10000.0);
        for (int j = 0; j < 4; j++) assertEquals(f[j] / 4, lin[j], 1e-7 * f[j]);
    }

    @Test
    void llama3KeepsHighFrequenciesDividesLowOnesAndBlendsBetween() {
        int d = 128;
        float[] plain = RopeScaling.none().inverseFrequencies(d, 500000.0);
        float[] scaled = RopeScaling.llama3(8, 1, 4, 8192).inverseFrequencies(d, 500000.0);
        int kept = 0;
        int divided = 0;
        int blended = 0;
        for (int j = 0; j < d / 2; j++) {
            double wavelen = 2 * Math.PI / plain[j];
            if (wavelen < 8192 / 4.0) {
                assertEquals(plain[j], scaled[j], 0f);
                kept++;
            } else if (wavelen > 8192 / 1.0) {
                assertEquals(plain[j] / 8, scaled[j], 1e-6 * plain[j]);
                divided++;
            } else {
                assertTrue(scaled[j] <= plain[j] && scaled[j] >= plain[j] / 8, "j=" + j);
                blended++;
            }
        }
        assertTrue(kept > 0 && divided > 0 && blended > 0, kept + " " + divided + " " + blended);
    }
}
