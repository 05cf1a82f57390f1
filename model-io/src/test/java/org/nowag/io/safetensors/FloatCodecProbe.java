package org.nowag.io.safetensors;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Converts fixed values to and from BF16 and F16 with FloatCodec's bulk methods and prints the mode and a hash of
 * the exact results; FloatCodecVectorTest runs it in child JVMs with and without the Vector API module.
 */
public final class FloatCodecProbe {
    private FloatCodecProbe() {}

    public static void main(String[] args) {
        System.out.println("mode " + (VectorSupport.ENABLED ? "vector" : "scalar"));
        System.out.println(digest());
    }

    static String digest() {
        SplittableRandom rnd = new SplittableRandom(9);
        float[] v = new float[4099];
        for (int i = 0; i < v.length; i++) v[i] = Float.intBitsToFloat(rnd.nextInt());
        StringBuilder out = new StringBuilder();
        for (DType t : new DType[] {DType.BF16, DType.F16}) {
            byte[] bytes = new byte[2 * v.length];
            FloatCodec.encode(v, 0, t, bytes, 0, v.length);
            float[] back = new float[v.length];
            FloatCodec.decode(bytes, 0, t, back, 0, v.length);
            int[] bits = new int[v.length];
            for (int i = 0; i < v.length; i++) bits[i] = Float.floatToRawIntBits(back[i]);
            out.append(t).append(' ').append(Arrays.hashCode(bytes)).append(' ').append(Arrays.hashCode(bits)).append(' ');
        }
        return out.toString().trim();
    }
}
