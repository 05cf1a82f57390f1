package org.nowag.kernels.armor;

/** The six ways to keep 2 of 4 inputs, in a fixed order (lower position first); a pair's code is its index. */
final class TwoOfFour {
    static final int PAIRS = 6;
    static final int[] FIRST = {0, 0, 0, 1, 1, 2};
    static final int[] SECOND = {1, 2, 3, 2, 3, 3};

    private TwoOfFour() {}

    /** The code of the pair (p, q), p < q. */
    static int code(int p, int q) {
        for (int c = 0; c < PAIRS; c++) {
            if (FIRST[c] == p && SECOND[c] == q) return c;
        }
        throw new IllegalArgumentException("(" + p + ", " + q + ") is not a pair of positions 0 <= p < q < 4");
    }
}
