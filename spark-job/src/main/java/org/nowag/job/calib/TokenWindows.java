package org.nowag.job.calib;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nowag.io.tokenizer.Tokenizer;

/**
 * Calibration windows: the texts tokenized into one stream of content tokens (each text's special tokens stripped),
 * and N windows of L tokens drawn from it with a fixed seed. Each window is wrapped in the special tokens the
 * tokenizer adds to any text ([CLS] ... [SEP] for BERT, BOS for Llama), so a window looks like what the model was
 * trained on. The specials are found as the tokenizer's encoding of the empty string.
 */
public final class TokenWindows {
    private final int[] prefix;
    private final int[] suffix;
    private final int[] content;

    private TokenWindows(int[] prefix, int[] suffix, int[] content) {
        this.prefix = prefix;
        this.suffix = suffix;
        this.content = content;
    }

    public static TokenWindows of(Tokenizer tokenizer, List<String> texts) {
        int[] empty = tokenizer.encode("");
        int[] prefix = null;
        int[] suffix = null;
        int[] stream = new int[1 << 16];
        int n = 0;
        for (String text : texts) {
            if (text.isBlank()) continue;
            int[] ids = tokenizer.encode(text);
            if (prefix == null) {
                // Specials the tokenizer adds: the common prefix of encode("") and encode(text), the rest at the end.
                int p = 0;
                while (p < empty.length && p < ids.length && empty[p] == ids[p]) p++;
                prefix = Arrays.copyOf(empty, p);
                suffix = Arrays.copyOfRange(empty, p, empty.length);
            }
            int from = prefix.length;
            int to = ids.length - suffix.length;
            if (to < from || !Arrays.equals(Arrays.copyOfRange(ids, to, ids.length), suffix)) {
                throw new IllegalStateException("the tokenizer does not end every text with the same special tokens "
                        + Arrays.toString(suffix));
            }
            int len = to - from;
            if (n + len > stream.length) stream = Arrays.copyOf(stream, Math.max(stream.length * 2, n + len));
            System.arraycopy(ids, from, stream, n, len);
            n += len;
        }
        if (prefix == null) throw new IllegalArgumentException("the text is empty");
        return new TokenWindows(prefix, suffix, Arrays.copyOf(stream, n));
    }

    public int contentTokens() { return content.length; }

    /** The special tokens before any text (e.g. [CLS] or BOS). */
    public int[] prefix() { return prefix.clone(); }

    /** The special tokens after any text (e.g. [SEP]). */
    public int[] suffix() { return suffix.clone(); }

    /** The content tokens of all texts, one stream, no special tokens. */
    public int[] content() { return content.clone(); }

    /** Number of special tokens around each window. */
    public int specials() { return prefix.length + suffix.length; }

    /**
     * count windows of exactly length tokens (specials included), starting at uniform random positions of the
     * stream (java.util.Random(seed)), in the order drawn.
     */
    public List<int[]> sample(int count, int length, long seed) {
        if (count <= 0) throw new IllegalArgumentException("--samples must be > 0, got " + count);
        int body = length - specials();
        if (body <= 0) {
            throw new IllegalArgumentException("--seq-len " + length + " leaves no room for text beside the "
                    + specials() + " special token(s)");
        }
        if (body > content.length) {
            throw new IllegalArgumentException("the text has " + content.length + " tokens, fewer than one window of "
                    + body + " (--seq-len " + length + " minus specials); give more text or a shorter --seq-len");
        }
        Random random = new Random(seed);
        List<int[]> windows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int start = random.nextInt(content.length - body + 1);
            windows.add(wrap(start, body));
        }
        return windows;
    }

    private int[] wrap(int start, int body) {
        int[] w = new int[prefix.length + body + suffix.length];
        System.arraycopy(prefix, 0, w, 0, prefix.length);
        System.arraycopy(content, start, w, prefix.length, body);
        System.arraycopy(suffix, 0, w, prefix.length + body, suffix.length);
        return w;
    }
}
