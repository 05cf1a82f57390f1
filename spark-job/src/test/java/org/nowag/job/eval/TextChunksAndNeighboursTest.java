package org.nowag.job.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextChunksAndNeighboursTest {

    @Test
    void aTextWithoutLineBreaksIsCutIntoSentencesAndShortOnesAreSkipped() {
        String address = "Mr. Speaker, we meet tonight. The state of our Union is strong today! Thank you. "
                + "\u201cWe will prevail,\u201d he said to all of us. Is this the end of it all?";
        assertEquals(List.of("Mr. Speaker, we meet tonight.", "The state of our Union is strong today!",
                        "\u201cWe will prevail,\u201d he said to all of us.", "Is this the end of it all?"),
                TextChunks.split(List.of(address), 10, 5));
    }

    @Test
    void blankLinesSeparateParagraphsAndTheirLineBreaksCollapse() {
        String book = "CHAPTER 1. Loomings.\n\nCall me Ishmael. Some years ago, never mind\nhow long precisely.\n\n"
                + "There now is your insular city of the Manhattoes.";
        assertEquals(List.of("Call me Ishmael. Some years ago, never mind how long precisely.",
                        "There now is your insular city of the Manhattoes."),
                TextChunks.split(List.of(book), 10, 5));
    }

    @Test
    void chunksAreSpreadOverTheTextsAndNeverExceedTheMaximum() {
        String a = "One two three four five. Six seven eight nine ten. Eleven twelve thirteen fourteen fifteen.";
        String b = "Alpha beta gamma delta epsilon. Zeta eta theta iota kappa.";
        List<String> c = TextChunks.split(List.of(a, b), 4, 5);
        assertEquals(List.of("One two three four five.", "Six seven eight nine ten.",
                "Alpha beta gamma delta epsilon.", "Zeta eta theta iota kappa."), c);
        assertEquals(3, TextChunks.split(List.of(a, b), 3, 5).size());
    }

    @Test
    void neighboursExcludeSelfOrderBySimilarityAndBreakTiesToTheLowerIndex() {
        double[] sim = {1.0, 0.5, 0.9, 0.5, 0.1};
        assertArrayEquals(new int[] {2, 1, 3}, NearestNeighbours.top(sim, 0, 3));
        assertArrayEquals(new int[] {0, 2}, NearestNeighbours.top(sim, 1, 2));
        assertEquals(2, NearestNeighbours.overlap(new int[] {2, 1, 3}, new int[] {3, 4, 2}));
    }

    @Test
    void truncationKeepsTheClosingSpecialTokens() {
        assertArrayEquals(new int[] {101, 5, 6, 102}, Evaluator.truncate(new int[] {101, 5, 6, 7, 8, 102}, 4, new int[] {102}));
        int[] shortOne = {101, 5, 102};
        assertArrayEquals(shortOne, Evaluator.truncate(shortOne, 4, new int[] {102}));
    }
}
