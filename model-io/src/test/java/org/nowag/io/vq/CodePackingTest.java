package org.nowag.io.vq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodePackingTest {

    /** Bit by bit: stream bit i*bits + b is bit b of code i, stored in byte t/8 at bit t%8. */
    private static byte[] slowPack(int[] codes, int bits) {
        byte[] out = new byte[(int) (((long) codes.length * bits + 7) / 8)];
        for (int i = 0; i < codes.length; i++) {
            for (int b = 0; b < bits; b++) {
                if (((codes[i] >>> b) & 1) != 0) {
                    long t = (long) i * bits + b;
                    out[(int) (t / 8)] |= (byte) (1 << (t % 8));
                }
            }
        }
        return out;
    }

    private static int[] randomCodes(int n, int bits, long seed) {
        Random rnd = new Random(seed);
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) {
            codes[i] = (int) (rnd.nextLong() >>> (64 - bits));  // uniform over all bits-wide values
        }
        return codes;
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 20, 24, 31, 32})
    void packingEqualsTheBitByBitReferenceAndUnpacksToTheSameCodes(int bits) {
        for (int n : new int[] {1, 2, 3, 7, 9, 13, 100, 1001}) {
            int[] codes = randomCodes(n, bits, 31L * bits + n);
            byte[] packed = CodePacking.pack(codes, bits);
            assertArrayEquals(slowPack(codes, bits), packed, n + " codes of " + bits + " bits");
            assertEquals((n * (long) bits + 7) / 8, packed.length);
            assertArrayEquals(codes, CodePacking.unpack(packed, n, bits));
        }
    }

    @Test
    void extremeCodesSurviveAtEveryWidth() {
        for (int bits = 1; bits <= 32; bits++) {
            int max = bits == 32 ? -1 : (1 << bits) - 1;  // all ones
            int[] codes = {max, 0, max, 1, max};
            assertArrayEquals(codes, CodePacking.unpack(CodePacking.pack(codes, bits), codes.length, bits), bits + " bits");
        }
    }

    @Test
    void twelveBitCodesLayOutLeastSignificantBitFirst() {
        // 0xABC then 0x123: stream = BC, (3 << 4 | A) = 0x3A, 0x12
        assertArrayEquals(new byte[] {(byte) 0xBC, (byte) 0x3A, (byte) 0x12},
                CodePacking.pack(new int[] {0xABC, 0x123}, 12));
    }

    @Test
    void aCodeTooWideOrAWrongByteCountIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CodePacking.pack(new int[] {1, 8}, 3));
        assertEquals("code 1 = 8 does not fit in 3 bits", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CodePacking.unpack(new byte[4], 3, 7));
        assertThrows(IllegalArgumentException.class, () -> CodePacking.pack(new int[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> CodePacking.pack(new int[] {1}, 33));
    }
}
