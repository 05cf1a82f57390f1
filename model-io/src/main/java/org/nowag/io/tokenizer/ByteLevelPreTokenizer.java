package org.nowag.io.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * HF's ByteLevel pre-tokenizer: optionally a leading space, optionally GPT-2's split regex, then every piece is
 * rewritten through the byte-level alphabet.
 */
public final class ByteLevelPreTokenizer implements PreTokenizer {
    /** GPT-2's pattern, which HF applies when use_regex is true (public: a BPE trainer must split text the same way). */
    public static final Pattern GPT2 = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private final boolean addPrefixSpace;
    private final boolean useRegex;

    ByteLevelPreTokenizer(boolean addPrefixSpace, boolean useRegex) {
        this.addPrefixSpace = addPrefixSpace;
        this.useRegex = useRegex;
    }

    @Override
    public List<String> split(String piece, boolean firstSection) {
        String s = addPrefixSpace && !piece.startsWith(" ") ? " " + piece : piece;
        List<String> words = useRegex ? SplitPreTokenizer.isolate(GPT2, s) : List.of(s);
        List<String> out = new ArrayList<>(words.size());
        for (String w : words) out.add(ByteLevelAlphabet.encode(w));
        return out;
    }
}
