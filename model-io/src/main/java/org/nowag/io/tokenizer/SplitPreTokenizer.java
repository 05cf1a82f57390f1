package org.nowag.io.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HF's Split pre-tokenizer: the pattern's matches and the text between them, combined as "behavior" says. */
final class SplitPreTokenizer implements PreTokenizer {
    enum Behavior { ISOLATED, REMOVED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT }

    private final Pattern pattern;
    private final Behavior behavior;

    SplitPreTokenizer(Pattern pattern, Behavior behavior) {
        this.pattern = pattern;
        this.behavior = behavior;
    }

    @Override
    public List<String> split(String piece, boolean firstSection) {
        List<String> out = new ArrayList<>();
        Matcher m = pattern.matcher(piece);
        int last = 0;
        String pendingMatch = null; // MERGED_WITH_NEXT: a match waiting for the gap after it
        while (m.find()) {
            if (m.end() == m.start()) continue;
            String gap = piece.substring(last, m.start());
            String match = m.group();
            switch (behavior) {
                case ISOLATED:
                    addNonEmpty(out, gap);
                    out.add(match);
                    break;
                case REMOVED:
                    addNonEmpty(out, gap);
                    break;
                case MERGED_WITH_PREVIOUS:
                    if (gap.isEmpty() && !out.isEmpty() && last > 0) out.set(out.size() - 1, out.get(out.size() - 1) + match);
                    else out.add(gap + match);
                    break;
                case MERGED_WITH_NEXT:
                    addNonEmpty(out, (pendingMatch == null ? "" : pendingMatch) + gap);
                    pendingMatch = match;
                    break;
                default: throw new IllegalStateException(behavior.toString());
            }
            last = m.end();
        }
        String tail = piece.substring(last);
        if (behavior == Behavior.MERGED_WITH_NEXT && pendingMatch != null) tail = pendingMatch + tail;
        addNonEmpty(out, tail);
        return out;
    }

    static List<String> isolate(Pattern p, String s) {
        return new SplitPreTokenizer(p, Behavior.ISOLATED).split(s, true);
    }

    private static void addNonEmpty(List<String> out, String s) {
        if (!s.isEmpty()) out.add(s);
    }
}
