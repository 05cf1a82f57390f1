package org.nowag.kernels.armor;

import java.io.Serializable;

/**
 * ARMOR's knobs. Plain non-final fields so Spark's Kryo FieldSerializer can rebuild it in a task.
 *
 * <p>Block size 128 is the one every run of the ARMOR paper reports (the reference repository's
 * config/compress/ARMOR.yaml ships {@code block_size: 32}). The block size is a maximum: a matrix whose widths it does
 * not divide gets the largest multiple of 4 below it that divides both d_out and d_in ({@link #blockSizeFor}), so
 * the default runs on any shape with d_out and d_in divisible by 4. The reference runs 3000 Adam iterations with one
 * sparse-core group per block pair each; our A and B steps are closed form and the S step sweeps every group, so far
 * fewer outer iterations do comparable work (default 10; see docs/methods.md, ARMOR).
 */
public final class ArmorConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The ARMOR paper's block size in every reported run; a maximum (see {@link #blockSizeFor}). */
    public static final int DEFAULT_BLOCK_SIZE = 128;
    public static final int DEFAULT_ITERATIONS = 10;

    private int blockSize;
    private int iterations;
    /** Store A, B, core values and the norms as binary16 (the reference counts them as 16-bit); false keeps F32. */
    private boolean halfStorage;
    /**
     * Threads the kernel may use for its loops over output blocks (the S sweep). The output is the same bits for
     * every value; 1 (the default) runs on the calling thread only. The caller decides (a Spark task passes the
     * cores it was given).
     */
    private int threads = 1;

    private ArmorConfig() {}

    public static ArmorConfig of(int blockSize, int iterations, boolean halfStorage) {
        if (blockSize < 4 || blockSize % 4 != 0) {
            throw new IllegalArgumentException("ARMOR block size " + blockSize
                    + " must be a positive multiple of 4 (a 2:4 group must not straddle two blocks of B)");
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("ARMOR iterations must be >= 0, got " + iterations);
        }
        ArmorConfig c = new ArmorConfig();
        c.blockSize = blockSize;
        c.iterations = iterations;
        c.halfStorage = halfStorage;
        return c;
    }

    public static ArmorConfig defaults() { return of(DEFAULT_BLOCK_SIZE, DEFAULT_ITERATIONS, true); }

    /** A copy with this many threads (>= 1). */
    public ArmorConfig withThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("ARMOR threads must be >= 1, got " + threads);
        ArmorConfig c = of(blockSize, iterations, halfStorage);
        c.threads = threads;
        return c;
    }

    public int blockSize() { return blockSize; }
    public int iterations() { return iterations; }
    public boolean halfStorage() { return halfStorage; }
    /** At least 1 (a config deserialized from before this field existed reads 0). */
    public int threads() { return Math.max(1, threads); }

    /**
     * The block size a [rows, cols] matrix is factorized with: the largest multiple of 4 that is at most
     * {@link #blockSize()} and divides both rows and cols (A's and B's square blocks must tile d_out and d_in, and a
     * 2:4 group must not straddle two blocks of B). Equal to blockSize() whenever it divides both. For example, with
     * 128: [256, 256] -> 128, [64, 256] -> 64, [688, 256] and [256, 688] -> 16.
     *
     * @throws IllegalArgumentException when no such size exists (rows or cols not divisible by 4)
     */
    public int blockSizeFor(long rows, long cols) {
        checkShape("weight", rows, cols);
        for (int b = blockSize; b >= 4; b -= 4) {
            if (rows % b == 0 && cols % b == 0) return b;
        }
        throw new IllegalStateException("unreachable: 4 divides [" + rows + ", " + cols + "]");
    }

    /** Clear error when no block size can tile a dimension (the reference asserts the same). */
    public void checkShape(String what, long rows, long cols) {
        if (cols % 4 != 0) {
            throw new IllegalArgumentException(what + ": d_in=" + cols + " is not divisible by 4, so it has no 2:4 pattern");
        }
        if (rows % 4 != 0) {
            throw new IllegalArgumentException(what + ": shape [" + rows + ", " + cols + "] has d_out=" + rows
                    + ", not divisible by 4, so no ARMOR block size (a multiple of 4 dividing d_out and d_in) tiles it");
        }
    }

    @Override public String toString() {
        return "ArmorConfig{blockSize=" + blockSize + ", iterations=" + iterations + ", halfStorage=" + halfStorage
                + ", threads=" + threads() + "}";
    }
}
