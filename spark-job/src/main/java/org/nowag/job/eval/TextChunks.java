package org.nowag.job.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Held-out text cut into the pieces an encoder embeds: paragraphs (split at blank lines, or at single line breaks when
 * there are no blank lines), and sentences for a text with no line breaks at all (a State of the Union address is
 * one line; no break after titles such as "Mr."). Whitespace is collapsed; pieces of fewer than minWords words
 * (headings, "CHAPTER 1.") are skipped.
 * At most max pieces in all, spread over the texts: each text gives its first ceil(max / texts) pieces, so held-out
 * text from several sources (a directory of addresses and a novel) is all represented.
 */
public final class TextChunks {
    /** End of a sentence followed by a capital; not after a title such as "Mr." ("Mr. Speaker" opens many addresses). */
    private static final String SENTENCE_END = "(?<!\\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|Hon)\\.)"
            + "(?<=[.!?][\"'\u201d\u2019]?)\\s+(?=[\"'\u201c\u2018]?[A-Z])";

    private TextChunks() {}

    public static List<String> split(List<String> texts, int max, int minWords) {
        List<String> out = new ArrayList<>();
        int quota = (max + texts.size() - 1) / texts.size();
        for (String text : texts) {
            int taken = 0;
            String t = text.replace("\r\n", "\n").strip();
            String[] pieces;
            if (t.contains("\n\n")) pieces = t.split("\n\\s*\n");
            else if (t.contains("\n")) pieces = t.split("\n");
            else pieces = t.split(SENTENCE_END);
            for (String p : pieces) {
                String c = p.strip().replaceAll("\\s+", " ");
                if (c.isEmpty() || c.split(" ").length < minWords) continue;
                out.add(c);
                if (out.size() == max) return out;
                if (++taken == quota) break;
            }
        }
        return out;
    }
}
