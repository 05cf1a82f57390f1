package org.nowag.io.safetensors;

import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API BF16 <-> float conversion: the same integer operations as FloatCodec's scalar loops, lane by lane, so
 * the bytes and floats are bit-identical (FloatCodecVectorTest). Each method handles whole vectors and returns how
 * many elements it did; FloatCodec does the rest. Used only when {@link VectorSupport#ENABLED} (needs jdk.incubator.vector,
 * i.e. a JVM started with --add-modules jdk.incubator.vector).
 */
final class VectorCodec {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, I.vectorShape());
    /** As many shorts as I has ints: half the bits. */
    private static final VectorSpecies<Short> S =
            VectorSpecies.of(short.class, VectorShape.forBitSize(I.vectorBitSize() / 2));

    private VectorCodec() {}

    /** BF16 bits (little-endian) to float: the bits, sign-extended to int, shifted up 16 (the low half is zero). */
    static int decodeBf16(byte[] src, int srcOff, float[] dst, int dstOff, int count) {
        int bound = I.loopBound(count);
        for (int i = 0; i < bound; i += I.length()) {
            ShortVector h = ShortVector.fromByteArray(S, src, srcOff + 2 * i, ByteOrder.LITTLE_ENDIAN);
            IntVector bits = (IntVector) h.convertShape(VectorOperators.S2I, I, 0);
            bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(dst, dstOff + i);
        }
        return bound;
    }

    /**
     * float to BF16, round to nearest even, stopping before the first vector that holds a NaN (the scalar loop keeps
     * NaN payloads its own way). Returns how many it converted.
     */
    static int encodeBf16(float[] src, int srcOff, byte[] dst, int dstOff, int count) {
        int bound = I.loopBound(count);
        int i = 0;
        for (; i < bound; i += I.length()) {
            IntVector bits = (IntVector) FloatVector.fromArray(F, src, srcOff + i).reinterpretAsInts();
            VectorMask<Integer> nan = bits.and(0x7fffffff).compare(VectorOperators.GT, 0x7f800000);
            if (nan.anyTrue()) {
                return i;
            }
            IntVector rounded = bits.add(0x7fff).add(bits.lanewise(VectorOperators.LSHR, 16).and(1));
            ShortVector h = (ShortVector) rounded.lanewise(VectorOperators.LSHR, 16).convertShape(VectorOperators.I2S, S, 0);
            h.intoByteArray(dst, dstOff + 2 * i, ByteOrder.LITTLE_ENDIAN);
        }
        return i;
    }
}
