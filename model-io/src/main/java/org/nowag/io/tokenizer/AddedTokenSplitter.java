package org.nowag.io.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts the raw input into added tokens and the text between them, scanning left to right and taking the longest
 * added token that starts at each position (so "<|end_of_text|>" wins over any shorter token it contains).
 */
final class AddedTokenSplitter {
    /** A piece of input: either an added token (token != null) or plain text to normalize and tokenize. */
    static final class Piece {
        final AddedToken token;
        final String text;
        final boolean first;

        Piece(AddedToken token, String text, boolean first) {
            this.token = token;
            this.text = text;
            this.first = first;
        }
    }

    private final Map<Character, List<AddedToken>> byFirstChar = new HashMap<>();

    AddedTokenSplitter(List<AddedToken> tokens) {
        for (AddedToken t : tokens) {
            if (t.content.isEmpty()) continue;
            byFirstChar.computeIfAbsent(t.content.charAt(0), c -> new ArrayList<>()).add(t);
        }
        for (List<AddedToken> l : byFirstChar.values()) l.sort(Comparator.comparingInt((AddedToken t) -> -t.content.length()));
    }

    List<Piece> split(String text) {
        List<Piece> out = new ArrayList<>();
        int textStart = 0;
        int i = 0;
        while (i < text.length()) {
            AddedToken hit = match(text, i);
            if (hit == null) {
                i++;
                continue;
            }
            int before = i;
            if (hit.lstrip) while (before > textStart && Character.isWhitespace(text.charAt(before - 1))) before--;
            addText(out, text.substring(textStart, before), textStart == 0);
            out.add(new Piece(hit, hit.content, false));
            i += hit.content.length();
            if (hit.rstrip) while (i < text.length() && Character.isWhitespace(text.charAt(i))) i++;
            textStart = i;
        }
        addText(out, text.substring(textStart), textStart == 0);
        return out;
    }

    private AddedToken match(String text, int at) {
        List<AddedToken> candidates = byFirstChar.get(text.charAt(at));
        if (candidates == null) return null;
        for (AddedToken t : candidates) {
            if (!text.startsWith(t.content, at)) continue;
            if (t.singleWord && !isWordBoundary(text, at, at + t.content.length())) continue;
            return t;
        }
        return null;
    }

    private static boolean isWordBoundary(String text, int start, int end) {
        boolean leftOk = start == 0 || !Character.isLetterOrDigit(text.codePointBefore(start));
        boolean rightOk = end == text.length() || !Character.isLetterOrDigit(text.codePointAt(end));
        return leftOk && rightOk;
    }

    private static void addText(List<Piece> out, String s, boolean first) {
        if (!s.isEmpty()) out.add(new Piece(null, s, first));
    }
}
