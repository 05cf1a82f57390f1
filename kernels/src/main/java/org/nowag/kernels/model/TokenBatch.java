package org.nowag.kernels.model;

/**
 * Token ids of one or more sequences, run together through a model. Sequences may have different lengths: they are
 * packed row after row (no padding needed), and attention never crosses from one sequence into another.
 * Optional per-token type ids (BERT segment ids; default 0) and an HF-style attention mask (1 = real token,
 * 0 = padding: padding tokens are never attended to, are left out of mean pooling and of what the
 * {@link LinearInputObserver} sees).
 */
public final class TokenBatch {
    private final int[][] ids;
    private final int[][] typeIds;
    private final int[][] attentionMask;

    private TokenBatch(int[][] ids, int[][] typeIds, int[][] attentionMask) {
        if (ids == null || ids.length == 0) throw new IllegalArgumentException("a token batch needs at least one sequence");
        for (int s = 0; s < ids.length; s++) {
            if (ids[s] == null || ids[s].length == 0) {
                throw new IllegalArgumentException("sequence " + s + " of the batch is empty");
            }
        }
        checkParallel(ids, typeIds, "token type ids");
        checkParallel(ids, attentionMask, "attention mask");
        if (attentionMask != null) {
            for (int s = 0; s < attentionMask.length; s++) {
                for (int m : attentionMask[s]) {
                    if (m != 0 && m != 1) {
                        throw new IllegalArgumentException("attention mask of sequence " + s + " holds " + m + "; only 0 and 1 are allowed");
                    }
                }
            }
        }
        this.ids = ids;
        this.typeIds = typeIds;
        this.attentionMask = attentionMask;
    }

    /** Sequences of token ids (each its own positions 0, 1, ...). */
    public static TokenBatch of(int[]... ids) {
        return new TokenBatch(ids, null, null);
    }

    /** The same batch with BERT token type (segment) ids, one per token. */
    public TokenBatch withTokenTypes(int[][] types) {
        return new TokenBatch(ids, types, attentionMask);
    }

    /** The same batch with an HF attention mask (1 = token, 0 = padding), one per token. */
    public TokenBatch withAttentionMask(int[][] mask) {
        return new TokenBatch(ids, typeIds, mask);
    }

    public int sequences() { return ids.length; }

    public int[] ids(int sequence) { return ids[sequence]; }

    /** Type id of a token: 0 when the batch has none. */
    public int typeId(int sequence, int position) {
        return typeIds == null ? 0 : typeIds[sequence][position];
    }

    /** Total tokens over all sequences (the rows of the packed hidden states). */
    public int tokens() {
        int n = 0;
        for (int[] s : ids) n += s.length;
        return n;
    }

    /** Row offsets of each sequence in the packed layout; the last entry is {@link #tokens()}. */
    int[] starts() {
        int[] starts = new int[ids.length + 1];
        for (int s = 0; s < ids.length; s++) starts[s + 1] = starts[s] + ids[s].length;
        return starts;
    }

    /** Per packed row: true where the attention mask says padding; null when the batch has no padding at all. */
    boolean[] padding() {
        if (attentionMask == null) return null;
        boolean any = false;
        boolean[] pad = new boolean[tokens()];
        int row = 0;
        for (int[] m : attentionMask) {
            for (int v : m) {
                pad[row] = v == 0;
                any |= pad[row];
                row++;
            }
        }
        return any ? pad : null;
    }

    private static void checkParallel(int[][] ids, int[][] other, String what) {
        if (other == null) return;
        if (other.length != ids.length) {
            throw new IllegalArgumentException(what + ": " + other.length + " sequences but the batch has " + ids.length);
        }
        for (int s = 0; s < ids.length; s++) {
            if (other[s] == null || other[s].length != ids[s].length) {
                throw new IllegalArgumentException(what + " of sequence " + s + ": length "
                        + (other[s] == null ? "null" : other[s].length) + " but the sequence has " + ids[s].length + " tokens");
            }
        }
    }
}
