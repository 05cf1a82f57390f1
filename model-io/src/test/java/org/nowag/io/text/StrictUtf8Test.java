package org.nowag.io.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Strict decoding gives the same text as Java's decoder on valid input and refuses the rest at the exact offset. */
class StrictUtf8Test {
    /** Random text from every UTF-8 length class: ASCII, 2-, 3- and 4-byte sequences. */
    static String randomText(int codePoints, long seed) {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder();
        int[] starts = {0x20, 0xa0, 0x4e00, 0x1f600};
        int[] spans = {0x5f, 0x500, 0x5000, 0x50};
        for (int i = 0; i < codePoints; i++) {
            int c = r.nextInt(4);
            s.appendCodePoint(starts[c] + r.nextInt(spans[c]));
        }
        return s.toString();
    }

    static String readAll(Reader reader, int chunk) throws IOException {
        StringBuilder out = new StringBuilder();
        char[] buf = new char[chunk];
        for (int n; (n = reader.read(buf, 0, chunk)) >= 0; ) out.append(buf, 0, n);
        return out.toString();
    }

    @Test
    void validTextDecodesAsJavaDoesWholeAndStreamedAcrossBufferBoundaries() throws IOException {
        String text = randomText(100_000, 1);  // about 250 KB: several 64 KiB refills, sequences cut at their ends
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(text, StrictUtf8.decode(utf8));
        for (int chunk : new int[] {1, 7, 8192}) {
            assertEquals(text, readAll(StrictUtf8.reader(new ByteArrayInputStream(utf8)), chunk), "chunk " + chunk);
        }
        assertEquals("", StrictUtf8.decode(new byte[0]));
        assertEquals("", readAll(StrictUtf8.reader(new ByteArrayInputStream(new byte[0])), 16));
    }

    @Test
    void malformedSequencesAreRefusedAtTheirOffsetWholeAndStreamed() {
        byte[][] bad = {
                {(byte) 0xff},                                             // never valid
                {(byte) 0xc0, (byte) 0xaf},                                // overlong '/'
                {(byte) 0xed, (byte) 0xa0, (byte) 0x80},                   // an encoded surrogate
                {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},      // above U+10FFFF
                {(byte) 0x80},                                             // a lone continuation byte
        };
        byte[] prefix = randomText(40_000, 2).getBytes(StandardCharsets.UTF_8);
        for (byte[] b : bad) {
            byte[] input = new byte[prefix.length + b.length + 3];
            System.arraycopy(prefix, 0, input, 0, prefix.length);
            System.arraycopy(b, 0, input, prefix.length, b.length);
            input[input.length - 3] = 'a';
            input[input.length - 2] = 'b';
            input[input.length - 1] = 'c';
            StrictUtf8.MalformedUtf8Exception whole = assertThrows(StrictUtf8.MalformedUtf8Exception.class,
                    () -> StrictUtf8.decode(input));
            assertEquals(prefix.length, whole.offset(), whole.getMessage());
            assertTrue(whole.getMessage().contains(String.format("0x%02X", b[0] & 0xff)), whole.getMessage());
            StrictUtf8.MalformedUtf8Exception streamed = assertThrows(StrictUtf8.MalformedUtf8Exception.class,
                    () -> readAll(StrictUtf8.reader(new ByteArrayInputStream(input)), 4096));
            assertEquals(prefix.length, streamed.offset(), streamed.getMessage());
        }
    }

    @Test
    void aSequenceCutByTheEndOfTheInputIsRefused() {
        byte[] cut = {'o', 'k', (byte) 0xe2, (byte) 0x82};  // the first two bytes of the euro sign
        assertEquals(2, assertThrows(StrictUtf8.MalformedUtf8Exception.class, () -> StrictUtf8.decode(cut)).offset());
        assertEquals(2, assertThrows(StrictUtf8.MalformedUtf8Exception.class,
                () -> readAll(StrictUtf8.reader(new ByteArrayInputStream(cut)), 16)).offset());
    }
}
