package org.nowag.job.method.prune;

import java.io.Serializable;

/**
 * What the driver found for a tensor split in row blocks before any block is pruned: the column norms of all rows,
 * and, for a whole-matrix group, the matrix's threshold key and each block's share of the scores equal to it.
 */
public final class PrunePrepared implements Serializable {
    private static final long serialVersionUID = 1L;
    public final float[] colNorms;
    /** True when blocks prune against {@link #thresholdKey} (a whole-matrix group split in blocks). */
    public final boolean hasThreshold;
    public final int thresholdKey;
    /** Per block in order: how many scores equal to the threshold that block keeps. */
    public final long[] equalQuota;

    public PrunePrepared(float[] colNorms, boolean hasThreshold, int thresholdKey, long[] equalQuota) {
        this.colNorms = colNorms;
        this.hasThreshold = hasThreshold;
        this.thresholdKey = thresholdKey;
        this.equalQuota = equalQuota;
    }
}
