package org.nowag.io.tokenizer;

import java.util.ArrayList;
import java.util.List;

/** HF's BertPreTokenizer: split on whitespace (dropped) and around every punctuation character (kept alone). */
final class BertPreTokenizer implements PreTokenizer {
    @Override
    public List<String> split(String piece, boolean firstSection) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        piece.codePoints().forEach(c -> {
            if (BertNormalizer.isWhitespace(c)) {
                flush(word, out);
            } else if (isPunctuation(c)) {
                flush(word, out);
                out.add(new String(Character.toChars(c)));
            } else {
                word.appendCodePoint(c);
            }
        });
        flush(word, out);
        return out;
    }

    private static void flush(StringBuilder word, List<String> out) {
        if (word.length() > 0) {
            out.add(word.toString());
            word.setLength(0);
        }
    }

    /** BERT counts every ASCII symbol ($, +, ^, ...) as punctuation, plus Unicode's P* categories. */
    static boolean isPunctuation(int c) {
        if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) return true;
        switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION: case Character.DASH_PUNCTUATION: case Character.START_PUNCTUATION:
            case Character.END_PUNCTUATION: case Character.INITIAL_QUOTE_PUNCTUATION:
            case Character.FINAL_QUOTE_PUNCTUATION: case Character.OTHER_PUNCTUATION:
                return true;
            default:
                return false;
        }
    }
}
