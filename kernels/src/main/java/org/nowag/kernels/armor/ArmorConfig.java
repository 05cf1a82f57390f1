package org.nowag.kernels.armor;

import java.io.Serializable;

/**
 * ARMOR's knobs. Plain non-final fields so Spark's Kryo FieldSerializer can rebuild it in a task.
 *
 * <p>Block size 32 is the reference's default (LawrenceRLiu/ARMOR, config/compress/ARMOR.yaml,
 * {@code block_diagonal_config.block_size: 32}). The reference runs 3000 Adam iterations with one sparse-core group
 * per block pair each; our A and B steps are closed form and the S step sweeps every group, so far fewer outer
 * iterations do comparable work (default 10; see the README's ARMOR section).
 */
public final class ArmorConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** LawrenceRLiu/ARMOR config/compress/ARMOR.yaml: block_size 32. */
    public static final int DEFAULT_BLOCK_SIZE = 32;
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

    /** Clear error when the block size does not tile a dimension (the reference asserts the same). */
    public void checkShape(String what, long rows, long cols) {
        if (cols % 4 != 0) {
            throw new IllegalArgumentException(what + ": d_in=" + cols + " is not divisible by 4, so it has no 2:4 pattern");
        }
        if (rows % blockSize != 0 || cols % blockSize != 0) {
            throw new IllegalArgumentException(what + ": shape [" + rows + ", " + cols + "] is not divisible by the ARMOR "
                    + "block size " + blockSize + " (A is [d_out, d_out] and B [d_in, d_in] in square blocks; choose "
                    + "--armor-block that divides both)");
        }
    }

    @Override public String toString() {
        return "ArmorConfig{blockSize=" + blockSize + ", iterations=" + iterations + ", halfStorage=" + halfStorage
                + ", threads=" + threads() + "}";
    }
}
