package org.nowag.io.tokenizer;

import java.util.Arrays;

/**
 * BPE merges as an open-addressing table from a pair of ids to (rank, merged id). A HashMap&lt;Long, Long&gt;
 * would hash a pair as left ^ right, which collides badly for ids below 2^17 (Llama-3's 280k merges load
 * several times slower), so keys are mixed with a 64-bit finalizer.
 */
final class MergeTable {
    private static final long EMPTY = -1L;
    private final long[] keys;
    private final long[] values;
    private final int mask;

    MergeTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
        keys = new long[cap];
        values = new long[cap];
        Arrays.fill(keys, EMPTY);
        mask = cap - 1;
    }

    static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** Keeps the first value for a pair (the lowest rank), as HF does for a duplicated merge. */
    void putIfAbsent(int left, int right, int rank, int merged) {
        long k = key(left, right);
        int i = slot(k);
        if (keys[i] == k) return;
        keys[i] = k;
        values[i] = ((long) rank << 32) | (merged & 0xFFFFFFFFL);
    }

    /** (rank << 32 | merged id), or -1 when the pair has no merge. */
    long get(int left, int right) {
        long k = key(left, right);
        int i = slot(k);
        return keys[i] == k ? values[i] : -1L;
    }

    private int slot(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        int i = (int) h & mask;
        while (keys[i] != EMPTY && keys[i] != k) i = (i + 1) & mask;
        return i;
    }
}
