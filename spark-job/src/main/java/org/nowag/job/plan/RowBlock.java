package org.nowag.job.plan;

import java.io.Serializable;
import org.nowag.io.safetensors.TensorInfo;

/** Rows [rowStart, rowStart + rowCount) of one tensor in one input shard: the unit an executor reads. */
public final class RowBlock implements Serializable {
    private static final long serialVersionUID = 1L;
    public final String shardPath;
    public final TensorInfo tensor;
    public final long rowStart;
    public final int rowCount;
    public final int blockIndex;
    public final int blockCount;

    public RowBlock(String shardPath, TensorInfo tensor, long rowStart, int rowCount, int blockIndex, int blockCount) {
        this.shardPath = shardPath;
        this.tensor = tensor;
        this.rowStart = rowStart;
        this.rowCount = rowCount;
        this.blockIndex = blockIndex;
        this.blockCount = blockCount;
    }

    public int cols() { return Math.toIntExact(tensor.cols()); }

    /** Bytes of this block as float32 in executor memory. */
    public long floatBytes() { return (long) rowCount * tensor.cols() * Float.BYTES; }

    @Override public String toString() {
        return tensor.name() + "[rows " + rowStart + ".." + (rowStart + rowCount) + ", block " + (blockIndex + 1) + "/" + blockCount + "]";
    }
}
