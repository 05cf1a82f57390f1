package org.nowag.io.rtn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.io.vq.VqTensors;

class RtnTensorsTest {
    /** A [5, 13] weight at 3 bits in groups of 4: 13 * 3 = 39 bits per row (5 bytes, 1 padding bit), 4 groups per row. */
    private static RtnTensors sample(int rows, int cols, int bits, int group, long seed) {
        Random rnd = new Random(seed);
        int groups = (int) RtnTensors.groups(cols, group);
        byte[] codes = new byte[rows * cols];
        for (int i = 0; i < codes.length; i++) codes[i] = (byte) rnd.nextInt(1 << bits);
        float[] scales = new float[rows * groups];
        short[] zeros = new short[rows * groups];
        for (int k = 0; k < scales.length; k++) {
            scales[k] = (float) Math.scalb(1.0 + rnd.nextInt(1024) / 1024.0, -rnd.nextInt(10));  // binary16-exact
            zeros[k] = (short) rnd.nextInt(1 << bits);
        }
        return new RtnTensors(rows, cols, bits, group, codes, scales, zeros);
    }

    @Test
    void storedTensorsReadBackExactlyWithTheShapesTheSpecsSay() {
        for (int[] c : new int[][] {{5, 13, 3, 4}, {4, 256, 4, 128}, {3, 688, 2, 128}, {2, 9, 8, 3}}) {
            RtnTensors t = sample(c[0], c[1], c[2], c[3], c[0] * 31L + c[1]);
            List<TensorSpec> specs = t.specs("w");
            assertEquals(List.of("w.rtn.codes", "w.rtn.scales", "w.rtn.zeros"), specs.stream().map(TensorSpec::name).toList());
            Map<String, VqTensors.Stored> stored = new HashMap<>();
            for (TensorSpec s : specs) {
                byte[] b = t.bytes(s.name());
                assertEquals(s.byteSize(), b.length, s.name());
                stored.put(s.name(), new VqTensors.Stored(s.dtype(), s.shape(), b));
            }
            assertArrayEquals(new long[] {c[0], (c[1] * (long) c[2] + 7) / 8}, specs.get(0).shape());
            assertEquals(DType.I16, specs.get(2).dtype());
            RtnTensors back = RtnTensors.decode("w", c[0], c[1], c[2], c[3], stored);
            assertArrayEquals(t.codes, back.codes);
            assertArrayEquals(t.scales, back.scales);
            assertArrayEquals(t.zeros, back.zeros);
        }
        // stored bits: every byte of the three tensors over the weights
        assertEquals(8.0 * (5 * 5 + 2 * 5 * 4 * 2) / (5 * 13), RtnTensors.storedBitsPerWeight(5, 13, 3, 4), 1e-12);
        assertEquals(4 + 32.0 / 128, RtnTensors.storedBitsPerWeight(64, 256, 4, 128), 1e-12);
    }

    @Test
    void partsThatDoNotFitTheRecordedShapeAreRefusedByName() {
        RtnTensors t = sample(4, 256, 4, 128, 1);
        Map<String, VqTensors.Stored> stored = new HashMap<>();
        for (TensorSpec s : t.specs("w")) stored.put(s.name(), new VqTensors.Stored(s.dtype(), s.shape(), t.bytes(s.name())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RtnTensors.decode("w", 4, 256, 3, 128, stored));
        assertTrue(e.getMessage().startsWith("RTN tensor 'w.rtn.codes' is U8 [4, 128]"), e.getMessage());
        stored.remove("w.rtn.zeros");
        e = assertThrows(IllegalArgumentException.class, () -> RtnTensors.decode("w", 4, 256, 4, 128, stored));
        assertEquals("RTN tensor 'w.rtn.zeros' is missing", e.getMessage());
        assertTrue(RtnTensors.isRtnTensor("a.b.weight.rtn.scales") && !RtnTensors.isRtnTensor("a.b.weight"));
        assertEquals("a.weight", RtnTensors.weightOf("a.weight.rtn.codes"));
    }
}
