package org.nowag.job.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Held-out text cut into the pieces an encoder embeds: paragraphs (split at blank lines, or at single line breaks when
 * there are no blank lines), and sentences for a text with no line breaks at all (a State of the Union address is
 * one line). Whitespace is collapsed; pieces of fewer than minWords words (headings, "CHAPTER 1.") are skipped.
 */
public final class TextChunks {
    private TextChunks() {}

    public static List<String> split(List<String> texts, int max, int minWords) {
        List<String> out = new ArrayList<>();
        for (String text : texts) {
            String t = text.replace("\r\n", "\n").strip();
            String[] pieces;
            if (t.contains("\n\n")) pieces = t.split("\n\\s*\n");
            else if (t.contains("\n")) pieces = t.split("\n");
            else pieces = t.split("(?<=[.!?][\"'\u201d\u2019]?)\\s+(?=[\"'\u201c\u2018]?[A-Z])");
            for (String p : pieces) {
                String c = p.strip().replaceAll("\\s+", " ");
                if (c.isEmpty() || c.split(" ").length < minWords) continue;
                out.add(c);
                if (out.size() == max) return out;
            }
        }
        return out;
    }
}
