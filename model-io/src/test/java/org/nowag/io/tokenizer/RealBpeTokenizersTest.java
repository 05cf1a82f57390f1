package org.nowag.io.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Byte-level BPE (Llama-3: Split regex with \p{N}{1,3} and ignore_merges; Qwen3: NFC, single digits, [a, b]
 * merges) and SentencePiece-style BPE (the npm "llama2" package ships Mistral-7B's tokenizer.json, which has
 * exactly Llama-2's format: Prepend("▁") + Replace(" ", "▁"), byte_fallback, &lt;s&gt; template) on the real
 * files. Expected ids were computed at authoring time by transformers.js (@lenml/tokenizers 3.7.2) on the same
 * files with the file's own pipeline; "Hello" = 9906 (Llama-3) and 9707 (Qwen2/3) agree with the published
 * vocabularies.
 */
class RealBpeTokenizersTest {
    static Stream<Arguments> vectors() {
        return Stream.of(
                Arguments.of("llama3", "Hello, my dog is cute", new int[] {9906, 11, 856, 5679, 374, 19369}),
                Arguments.of("llama3", "Call me Ishmael.", new int[] {7368, 757, 57704, 1764, 301, 13}),
                Arguments.of("llama3", "I'm here, they've gone; we'll see 12345 items!!",
                        new int[] {40, 2846, 1618, 11, 814, 3077, 8208, 26, 584, 3358, 1518, 220, 4513, 1774, 3673, 3001}),
                Arguments.of("llama3", "  leading and   multiple spaces\n\nnew lines\ttab",
                        new int[] {220, 6522, 323, 256, 5361, 12908, 271, 943, 5238, 59249}),
                Arguments.of("llama3", "naïve café — 東京 ünïcödé",
                        new int[] {3458, 38672, 588, 53050, 2001, 119109, 107268, 38672, 66, 3029, 67, 978}),
                Arguments.of("llama3", "emoji 🎉👍🏽 done",
                        new int[] {38623, 11410, 236, 231, 9468, 239, 235, 9468, 237, 121, 2884}),
                Arguments.of("llama3", "<|begin_of_text|>special<|end_of_text|>", new int[] {128000, 15495, 128001}),
                Arguments.of("llama3", "DON'T Stop I'LL", new int[] {85741, 17773, 14549, 358, 6, 4178}),
                Arguments.of("llama3", "x = f(3.14159) + y_2;",
                        new int[] {87, 284, 282, 7, 18, 13, 9335, 2946, 8, 489, 379, 62, 17, 26}),
                Arguments.of("llama3", "", new int[] {}),
                Arguments.of("qwen3", "Hello, my dog is cute", new int[] {9707, 11, 847, 5562, 374, 18838}),
                Arguments.of("qwen3", "I'm here, they've gone; we'll see 12345 items!!",
                        new int[] {40, 2776, 1588, 11, 807, 3003, 8048, 26, 582, 3278, 1490, 220, 16, 17, 18, 19, 20, 3589, 2928}),
                Arguments.of("qwen3", "naïve café — 東京 ünïcödé",
                        new int[] {3376, 37572, 586, 51950, 1959, 60596, 109, 46553, 10489, 77, 37572, 66, 2956, 128505}),
                Arguments.of("qwen3", "emoji 🎉👍🏽 done", new int[] {37523, 11162, 236, 231, 144349, 145375, 2814}),
                Arguments.of("qwen3", "DON'T Stop I'LL", new int[] {84641, 17323, 14215, 358, 6, 4086}),
                Arguments.of("llama2", "Hello, my dog is cute", new int[] {1, 22557, 28725, 586, 3914, 349, 17949}),
                Arguments.of("llama2", "Call me Ishmael.", new int[] {1, 5529, 528, 315, 811, 705, 301, 28723}),
                Arguments.of("llama2", "  leading and   multiple spaces\n\nnew lines\ttab",
                        new int[] {1, 259, 5374, 304, 259, 5166, 10599, 13, 13, 1095, 4715, 12, 4252}),
                Arguments.of("llama2", "emoji 🎉👍🏽 done", new int[] {1, 877, 27813, 28705, 31862, 30195, 31007, 2203}),
                Arguments.of("llama2", "<s>hi</s>", new int[] {1, 1, 12014, 2}),
                Arguments.of("llama2", "Ǆ ﬁ 𝔘 \u0301e",
                        new int[] {1, 28705, 202, 135, 28705, 30160, 28705, 243, 160, 151, 155, 28705, 28949, 28706}),
                Arguments.of("llama2", "", new int[] {1}));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("vectors")
    void encodingMatchesTheReferenceImplementation(String tokenizer, String text, int[] ids) {
        assertArrayEquals(ids, RealTokenizers.npm(tokenizer).encode(text));
    }

    @Test
    void sentencePieceDecodeUndoesTheMetaspaceAndByteFallback() {
        Tokenizer t = RealTokenizers.npm("llama2");
        for (String s : new String[] {"Hello, my dog is cute", "emoji 🎉👍🏽 done", "Ǆ ﬁ 𝔘 e", "  two leading"}) {
            assertEquals(s, t.decode(t.encode(s)), s);
        }
    }

    @Test
    void vocabularySizesAndSpecialIdsFollowTheFiles() {
        assertEquals(128256, RealTokenizers.npm("llama3").vocabSize());
        assertEquals(128000, RealTokenizers.npm("llama3").bosId().getAsInt());
        assertEquals(128001, RealTokenizers.npm("llama3").eosId().getAsInt());
        assertEquals(32000, RealTokenizers.npm("llama2").vocabSize());
        assertEquals(1, RealTokenizers.npm("llama2").bosId().getAsInt());
        assertEquals(2, RealTokenizers.npm("llama2").eosId().getAsInt());
        assertEquals(151669, RealTokenizers.npm("qwen3").vocabSize());
    }
}
