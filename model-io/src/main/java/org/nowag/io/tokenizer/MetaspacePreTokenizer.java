package org.nowag.io.tokenizer;

import java.util.List;

/**
 * HF's Metaspace (SentencePiece style): spaces become the replacement character (usually '▁'), which is also
 * prepended ("always", or only at the input's start for "first"); with split, words start at each '▁'.
 */
final class MetaspacePreTokenizer implements PreTokenizer {
    private final String replacement;
    private final String prependScheme;
    private final boolean split;

    MetaspacePreTokenizer(String replacement, String prependScheme, boolean split) {
        this.replacement = replacement;
        this.prependScheme = prependScheme;
        this.split = split;
    }

    @Override
    public List<String> split(String piece, boolean firstSection) {
        String s = piece.replace(" ", replacement);
        boolean prepend = "always".equals(prependScheme) || ("first".equals(prependScheme) && firstSection);
        if (prepend && !s.startsWith(replacement)) s = replacement + s;
        if (!split) return List.of(s);
        return new SplitPreTokenizer(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(replacement)),
                SplitPreTokenizer.Behavior.MERGED_WITH_NEXT).split(s, firstSection);
    }
}
