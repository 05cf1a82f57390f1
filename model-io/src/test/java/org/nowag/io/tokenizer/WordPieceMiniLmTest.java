package org.nowag.io.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** WordPiece on the real all-MiniLM-L6-v2 tokenizer.json (BERT uncased). */
class WordPieceMiniLmTest {
    @Test
    void callMeIshmaelGivesThePublishedIds() {
        assertArrayEquals(new int[] {101, 2655, 2033, 2003, 22444, 2884, 1012, 102},
                RealTokenizers.miniLm().encode("Call me Ishmael."));
    }

    /**
     * Expected ids computed at authoring time by transformers.js (the @lenml/tokenizers 3.7.2 fork) on the same
     * file: accents stripped and lowercased, CJK split per ideograph, ASCII symbols split, an over-long word is one
     * [UNK], added tokens in the text are matched verbatim.
     */
    static Stream<Arguments> vectors() {
        return Stream.of(
                Arguments.of("Naïve CAFÉ, résumé!", new int[] {101, 15743, 7668, 1010, 13746, 999, 102}),
                Arguments.of("東京タワー is tall", new int[] {101, 1879, 1755, 1709, 30262, 30265, 2003, 4206, 102}),
                Arguments.of("unbelievableness$$ 3.14", new int[] {101, 23653, 2791, 1002, 1002, 1017, 1012, 2403, 102}),
                Arguments.of("[CLS] hello [SEP]", new int[] {101, 101, 7592, 102, 102}),
                Arguments.of("x".repeat(101) + " ok", new int[] {101, 100, 7929, 102}),
                Arguments.of("don't stop", new int[] {101, 2123, 1005, 1056, 2644, 102}));
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void encodingMatchesTheReferenceImplementation(String text, int[] ids) {
        assertArrayEquals(ids, RealTokenizers.miniLm().encode(text));
    }

    @Test
    void decodeJoinsContinuationPiecesAndDropsSpecialTokens() {
        Tokenizer t = RealTokenizers.miniLm();
        assertEquals("call me ishmael.", t.decode(t.encode("Call me Ishmael.")));
        assertEquals("don't stop", t.decode(t.encode("don't stop")));
    }

    @Test
    void specialIdsAndVocabularySizeComeFromTheFile() {
        Tokenizer t = RealTokenizers.miniLm();
        assertEquals(30522, t.vocabSize());
        assertEquals(101, t.bosId().getAsInt());
        assertEquals(102, t.eosId().getAsInt());
        assertEquals(0, t.padId().getAsInt());
    }
}
