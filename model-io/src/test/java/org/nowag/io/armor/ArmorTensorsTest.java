package org.nowag.io.armor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.io.vq.VqTensors;

class ArmorTensorsTest {
    static ArmorTensors random(int rows, int cols, int b, DType ft) {
        Random rnd = new Random(1);
        float[] a = new float[rows * b];
        float[] bb = new float[cols * b];
        float[] values = new float[rows * cols / 2];
        int[] pos = new int[rows * cols / 2];
        for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < bb.length; i++) bb[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < values.length; i++) values[i] = (float) rnd.nextGaussian();
        for (int g = 0; g < pos.length; g += 2) {
            int p = rnd.nextInt(3);
            pos[g] = p;
            pos[g + 1] = p + 1 + rnd.nextInt(3 - p);
        }
        float[] r = new float[rows];
        float[] c = new float[cols];
        java.util.Arrays.fill(r, 1.5f);
        java.util.Arrays.fill(c, 0.5f);
        return new ArmorTensors(rows, cols, b, a, bb, values, pos, r, c, ft);
    }

    static Map<String, VqTensors.Stored> store(ArmorTensors t, String w) {
        Map<String, VqTensors.Stored> m = new HashMap<>();
        for (TensorSpec s : t.specs(w)) m.put(s.name(), new VqTensors.Stored(s.dtype(), s.shape(), t.bytes(s.name())));
        return m;
    }

    @Test
    void partsRoundTripThroughTheirBytesWithTwoBitPositions() {
        ArmorTensors t = random(8, 16, 4, DType.F32);
        Map<String, VqTensors.Stored> m = store(t, "w");
        assertEquals(8 * 16 / 2 * 2 / 8, m.get("w" + ArmorTensors.POSITIONS).bytes.length, "2 bits per kept value");
        ArmorTensors back = ArmorTensors.decode("w", m);
        assertArrayEquals(t.aBlocks, back.aBlocks);
        assertArrayEquals(t.bBlocks, back.bBlocks);
        assertArrayEquals(t.values, back.values);
        assertArrayEquals(t.positions, back.positions);
        assertArrayEquals(t.rowNorms, back.rowNorms);
        assertArrayEquals(t.colNorms, back.colNorms);
        assertEquals(4, back.blockSize);
        assertArrayEquals(new long[] {2, 4, 4}, t.specs("w").get(0).shape());
    }

    @Test
    void aMissingPartOrBadPositionsIsAnErrorNamingTheTensor() {
        ArmorTensors t = random(8, 16, 4, DType.F16);
        Map<String, VqTensors.Stored> m = store(t, "w");
        m.remove("w" + ArmorTensors.B_BLOCKS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArmorTensors.decode("w", m));
        assertTrue(e.getMessage().contains("w.armor.b_blocks"), e.getMessage());
        Map<String, VqTensors.Stored> bad = store(t, "w");
        byte[] pos = bad.get("w" + ArmorTensors.POSITIONS).bytes;
        pos[0] = 0; // group 0 -> positions (0, 0)
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> ArmorTensors.decode("w", bad));
        assertTrue(e2.getMessage().contains("w.armor.positions") && e2.getMessage().contains("group 0"), e2.getMessage());
    }
}
