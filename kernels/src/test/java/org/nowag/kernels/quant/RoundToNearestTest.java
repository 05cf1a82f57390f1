package org.nowag.kernels.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoundToNearestTest {
    /** Rows of several kinds: Gaussian, all positive, all negative, one zero row, one constant row, outliers. */
    static float[] weights(int rows, int cols, long seed) {
        Random random = new Random(seed);
        float[] w = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            int kind = r % 6;
            for (int c = 0; c < cols; c++) {
                double g = random.nextGaussian() * 0.05;
                w[r * cols + c] = (float) switch (kind) {
                    case 0 -> g;
                    case 1 -> Math.abs(g) + 0.01;
                    case 2 -> -Math.abs(g) - 0.3;
                    case 3 -> 0.0;
                    case 4 -> 0.125;
                    default -> c % 37 == 0 ? 40 * g : g;
                };
            }
        }
        return w;
    }

    @ParameterizedTest(name = "{0}x{1} INT{2} g{3}")
    @CsvSource({"6, 256, 2, 128", "12, 300, 3, 128", "7, 64, 4, 16", "6, 50, 8, 128", "5, 33, 2, 1", "6, 688, 4, 128"})
    void equalsTheSlowReferenceCodeForCodeAndScaleForScale(int rows, int cols, int bits, int group) {
        for (long seed = 1; seed <= 3; seed++) {
            float[] w = weights(rows, cols, seed);
            RtnResult fast = RoundToNearest.quantize(w, rows, cols, RtnConfig.of(bits, group));
            SlowRoundToNearest slow = SlowRoundToNearest.quantize(w, rows, cols, bits, group);
            float[] wHat = fast.dequantize();
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < fast.groupsPerRow(); k++) {
                    assertEquals(slow.scales[r][k], fast.scales[r * fast.groupsPerRow() + k], "scale " + r + "," + k);
                    assertEquals(slow.zeros[r][k], fast.zeros[r * fast.groupsPerRow() + k], "zero " + r + "," + k);
                }
                for (int c = 0; c < cols; c++) {
                    assertEquals(slow.codes[r][c], fast.code(r, c), "code " + r + "," + c + " of " + w[r * cols + c]);
                    assertEquals(slow.wHat[r][c], wHat[r * cols + c], 0.0, "W_hat " + r + "," + c);
                }
            }
        }
    }

    @ParameterizedTest(name = "INT{0}")
    @CsvSource({"2", "3", "4", "8"})
    void everyCodeIsInRangeAndEveryWeightWithinHalfAStoredStep(int bits) {
        int rows = 24;
        int cols = 300;
        float[] w = weights(rows, cols, 7);
        RtnResult q = RoundToNearest.quantize(w, rows, cols, RtnConfig.int_(bits));
        float[] wHat = q.dequantize();
        int groups = q.groupsPerRow();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int k = r * groups + c / 128;
                assertTrue(q.code(r, c) >= 0 && q.code(r, c) <= (1 << bits) - 1);
                assertTrue(q.zeros[k] >= 0 && q.zeros[k] <= (1 << bits) - 1, "zero point " + q.zeros[k]);
                double error = Math.abs((double) w[r * cols + c] - wHat[r * cols + c]);
                assertTrue(error <= q.scales[k] / 2 * (1 + 1e-9), "(" + r + ", " + c + "): " + w[r * cols + c] + " -> "
                        + wHat[r * cols + c] + ", step " + q.scales[k]);
            }
        }
        for (float s : q.scales) assertEquals(s, (float) SlowRoundToNearest.smallestHalfAtLeast(s), "a binary16 scale");
    }

    @ParameterizedTest(name = "INT{0}")
    @CsvSource({"2", "3", "4"})
    void quantizingTheDequantizedWeightsAgainChangesNothing(int bits) {
        int rows = 18;
        int cols = 260;
        float[] w = weights(rows, cols, 11);
        RtnResult once = RoundToNearest.quantize(w, rows, cols, RtnConfig.int_(bits));
        float[] wHat = once.dequantize();
        RtnResult twice = RoundToNearest.quantize(wHat, rows, cols, RtnConfig.int_(bits));
        assertArrayEquals(wHat, twice.dequantize(), "W_hat is a fixed point");
        assertArrayEquals(once.codes, twice.codes);
        assertArrayEquals(once.scales, twice.scales);
        assertArrayEquals(once.zeros, twice.zeros);
    }

    @Test
    void exactTiesRoundHalfToEvenAndTheGridAlwaysHoldsZero() {
        // One group [0, 3] at INT2: step 1, zero 0; 0.5 -> 0, 1.5 -> 2, 2.5 -> 2 (half to even).
        float[] w = {0f, 0.5f, 1.5f, 2.5f, 3f};
        RtnResult q = RoundToNearest.quantize(w, 1, 5, RtnConfig.int_(2));
        assertEquals(1f, q.scales[0]);
        assertEquals(0, q.zeros[0]);
        assertArrayEquals(new byte[] {0, 0, 2, 2, 3}, q.codes);
        // All-positive group: the range starts at 0, so 0 decodes exactly and the zero point is 0.
        RtnResult positive = RoundToNearest.quantize(new float[] {1f, 2f, 3f}, 1, 3, RtnConfig.int_(2));
        assertEquals(0, positive.zeros[0]);
        assertArrayEquals(new float[] {1f, 2f, 3f}, positive.dequantize());
        // An all-zero group decodes to zeros.
        assertArrayEquals(new float[4], RoundToNearest.quantize(new float[4], 2, 2, RtnConfig.int_(3)).dequantize());
    }

    @Test
    void storedBitsCountEveryCodeAndA16BitScaleAndZeroPerGroup() {
        assertEquals(2.25, RtnConfig.int_(2).bitsPerWeight(256, 256), 1e-12);
        assertEquals(4.25, RtnConfig.int_(4).bitsPerWeight(4096, 11008 - 11008 % 128), 1e-12);
        // 688 inputs: five groups of 128 and one of 48, each with its scale and zero point.
        assertEquals(6, RtnConfig.int_(3).groupsPerRow(688));
        assertEquals(3 + 6 * 32.0 / 688, RtnConfig.int_(3).bitsPerWeight(256, 688), 1e-12);
        RtnResult q = RoundToNearest.quantize(weights(4, 688, 3), 4, 688, RtnConfig.int_(3));
        assertEquals(4 * 6, q.scales.length);
        assertEquals(q.bitsPerWeight(), (4 * 688 * 3 + 4 * 6 * 32.0) / (4 * 688), 1e-12);
    }

    @Test
    void aStoredResultReadBackDequantizesAlikeAndDamagedPartsAreRefused() {
        RtnResult q = RoundToNearest.quantize(weights(3, 200, 5), 3, 200, RtnConfig.int_(3));
        RtnResult back = RtnResult.stored(3, 200, RtnConfig.int_(3), q.codes.clone(), q.scales.clone(), q.zeros.clone());
        assertArrayEquals(q.dequantize(), back.dequantize());
        byte[] codes = q.codes.clone();
        codes[7] = 8;  // above 2^3 - 1
        assertThrows(IllegalArgumentException.class, () -> RtnResult.stored(3, 200, RtnConfig.int_(3), codes, q.scales, q.zeros));
        short[] zeros = q.zeros.clone();
        zeros[0] = -1;
        assertThrows(IllegalArgumentException.class, () -> RtnResult.stored(3, 200, RtnConfig.int_(3), q.codes, q.scales, zeros));
        assertThrows(IllegalArgumentException.class, () -> RtnResult.stored(3, 200, RtnConfig.of(3, 64), q.codes, q.scales, q.zeros));
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> RtnConfig.of(1, 128));
        assertThrows(IllegalArgumentException.class, () -> RtnConfig.of(9, 128));
        assertThrows(IllegalArgumentException.class, () -> RtnConfig.of(4, 0));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> RoundToNearest.quantize(new float[] {1f, Float.NaN}, 1, 2, RtnConfig.int_(4)));
        assertTrue(nan.getMessage().contains("[0, 1]"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RoundToNearest.quantize(new float[3], 2, 2, RtnConfig.int_(4)));
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                () -> RoundToNearest.quantize(new float[] {-1e9f, 1e9f}, 1, 2, RtnConfig.int_(2)));
        assertTrue(huge.getMessage().contains("16-bit"), huge.getMessage());
    }
}
