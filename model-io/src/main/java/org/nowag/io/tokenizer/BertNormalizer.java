package org.nowag.io.tokenizer;

import java.text.Normalizer.Form;
import java.util.Locale;

/**
 * HF's BertNormalizer: drop control characters, turn whitespace into ' ', pad CJK ideographs with spaces, strip
 * accents (NFD, then drop non-spacing marks) and lowercase. strip_accents null means "as lowercase", as in HF.
 */
final class BertNormalizer implements Normalizer {
    private final boolean cleanText;
    private final boolean chineseChars;
    private final boolean stripAccents;
    private final boolean lowercase;

    BertNormalizer(boolean cleanText, boolean chineseChars, Boolean stripAccents, boolean lowercase) {
        this.cleanText = cleanText;
        this.chineseChars = chineseChars;
        this.stripAccents = stripAccents == null ? lowercase : stripAccents;
        this.lowercase = lowercase;
    }

    @Override
    public String normalize(String text) {
        String s = text;
        if (cleanText) s = clean(s);
        if (chineseChars) s = padChinese(s);
        if (stripAccents) s = stripAccents(s);
        if (lowercase) s = s.toLowerCase(Locale.ROOT);
        return s;
    }

    private static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c == 0 || c == 0xFFFD || isControl(c)) return;
            if (isWhitespace(c)) b.append(' ');
            else b.appendCodePoint(c);
        });
        return b.toString();
    }

    private static String padChinese(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (isCjk(c)) b.append(' ').appendCodePoint(c).append(' ');
            else b.appendCodePoint(c);
        });
        return b.toString();
    }

    static String stripAccents(String s) {
        String d = java.text.Normalizer.normalize(s, Form.NFD);
        StringBuilder b = new StringBuilder(d.length());
        d.codePoints().forEach(c -> {
            if (Character.getType(c) != Character.NON_SPACING_MARK) b.appendCodePoint(c);
        });
        return b.toString();
    }

    /** HF's is_control: \t \n \r are whitespace, not control; any other "other" category (Cc Cf Cn Co Cs) is. */
    private static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') return false;
        int t = Character.getType(c);
        return t == Character.CONTROL || t == Character.FORMAT || t == Character.UNASSIGNED
                || t == Character.PRIVATE_USE || t == Character.SURROGATE;
    }

    /** Unicode White_Space (Rust's char::is_whitespace), which Java's isWhitespace alone misses (e.g. NBSP). */
    static boolean isWhitespace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85;
    }

    /** The CJK Unified Ideograph blocks BERT's original tokenizer pads (not Hangul, Hiragana or Katakana). */
    static boolean isCjk(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }
}
