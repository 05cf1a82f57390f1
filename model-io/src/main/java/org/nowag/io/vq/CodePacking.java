package org.nowag.io.vq;

/**
 * Packs unsigned integer codes of any width (1..32 bits) into a dense little-endian bit stream: code i occupies
 * stream bits [i * bits, (i + 1) * bits), least significant bit first, and stream bit t is bit (t % 8) of byte t / 8.
 * The last byte is padded with zero bits. n codes take ceil(n * bits / 8) bytes.
 */
public final class CodePacking {
    private CodePacking() {}

    public static long packedBytes(long count, int bits) {
        checkBits(bits);
        return (count * bits + 7) / 8;
    }

    /** Codes are read as unsigned; each must be < 2^bits (any int for 32 bits). */
    public static byte[] pack(int[] codes, int bits) {
        checkBits(bits);
        long mask = bits == 32 ? 0xffffffffL : (1L << bits) - 1;
        byte[] out = new byte[Math.toIntExact(packedBytes(codes.length, bits))];
        long acc = 0;     // pending bits, lowest first
        int pending = 0;  // how many bits acc holds (< 8 after each flush)
        int pos = 0;
        for (int i = 0; i < codes.length; i++) {
            long v = codes[i] & 0xffffffffL;
            if ((v & ~mask) != 0) {
                throw new IllegalArgumentException("code " + i + " = " + v + " does not fit in " + bits + " bits");
            }
            acc |= v << pending;
            pending += bits;
            while (pending >= 8) {
                out[pos++] = (byte) acc;
                acc >>>= 8;
                pending -= 8;
            }
        }
        if (pending > 0) {
            out[pos] = (byte) acc;
        }
        return out;
    }

    /** The inverse of {@link #pack}: reads {@code count} codes; the byte array must be exactly the packed size. */
    public static int[] unpack(byte[] packed, int count, int bits) {
        checkBits(bits);
        long expected = packedBytes(count, bits);
        if (packed.length != expected) {
            throw new IllegalArgumentException(count + " codes of " + bits + " bits take " + expected + " bytes, got "
                    + packed.length);
        }
        long mask = bits == 32 ? 0xffffffffL : (1L << bits) - 1;
        int[] codes = new int[count];
        long acc = 0;
        int available = 0;
        int pos = 0;
        for (int i = 0; i < count; i++) {
            while (available < bits) {
                acc |= (packed[pos++] & 0xffL) << available;
                available += 8;
            }
            codes[i] = (int) (acc & mask);
            acc >>>= bits;
            available -= bits;
        }
        return codes;
    }

    private static void checkBits(int bits) {
        if (bits < 1 || bits > 32) {
            throw new IllegalArgumentException("code width must be 1..32 bits, got " + bits);
        }
    }
}
