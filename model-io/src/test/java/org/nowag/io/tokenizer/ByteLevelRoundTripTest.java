package org.nowag.io.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** decode(encode(s)) == s for byte-level BPE on arbitrary Unicode text, emoji and combining marks included. */
class ByteLevelRoundTripTest {
    private static final int[][] RANGES = {
        {0x20, 0x7E}, {0x09, 0x0A}, {0xA0, 0x24F}, {0x300, 0x36F}, {0x391, 0x3C9}, {0x400, 0x4FF}, {0x5D0, 0x5EA},
        {0x600, 0x6FF}, {0x900, 0x97F}, {0x3040, 0x30FF}, {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}, {0x1F300, 0x1FAFF},
        {0x1F3FB, 0x1F3FF}, {0x200D, 0x200D}, {0x10000, 0x1004F}, {0x2000, 0x206F}
    };

    static String randomText(Random r, int maxLen) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(maxLen + 1);
        for (int i = 0; i < n; i++) {
            int[] range = RANGES[r.nextInt(RANGES.length)];
            b.appendCodePoint(range[0] + r.nextInt(range[1] - range[0] + 1));
        }
        return b.toString();
    }

    @Test
    void llama3RoundTripsRandomUnicode() {
        Tokenizer t = RealTokenizers.npm("llama3");
        Random r = new Random(42);
        for (int i = 0; i < 500; i++) {
            String s = randomText(r, 40);
            assertEquals(s, t.decode(t.encode(s)), () -> "round trip of " + s.codePoints().mapToObj(Integer::toHexString).toList());
        }
        String fixed = "Family: 👨‍👩‍👧‍👦, flags 🇺🇸, skin 👍🏽, Zalgo e\u0301\u0302, tabs\t\tand\n\r\nCRLF";
        assertEquals(fixed, t.decode(t.encode(fixed)));
    }

    @Test
    void handMadeGpt2StyleRoundTripsRandomUnicode() throws Exception {
        Tokenizer t = HandMadeBpeTest.load(HandMadeBpeTest.gpt2Style(), "gpt2-style.json");
        Random r = new Random(7);
        for (int i = 0; i < 500; i++) {
            String s = randomText(r, 40);
            assertEquals(s, t.decode(t.encode(s)));
        }
    }
}
