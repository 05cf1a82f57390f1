package org.nowag.job.method.prune;

import java.io.IOException;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.job.plan.RowBlock;
import org.nowag.kernels.norm.NoWagNormalizer;

/**
 * First pass over a tensor split in row blocks: each block's column sums of squares (d_in doubles). NoWag's column
 * norms need every row, so the driver adds the blocks' sums before any block is pruned.
 */
public final class ColumnStatsTask implements Serializable {
    private static final long serialVersionUID = 1L;
    public final RowBlock block;

    public ColumnStatsTask(RowBlock block) { this.block = block; }

    public double[] run(Configuration conf) throws IOException {
        Path shard = new Path(block.shardPath);
        float[] w;
        try (SafetensorsFile in = SafetensorsFile.open(shard.getFileSystem(conf), shard)) {
            w = in.readRowsAsFloat(block.tensor.name(), block.rowStart, block.rowCount);
        }
        double[] sums = new double[block.cols()];
        boolean finite = true;
        for (float v : w) finite &= Float.isFinite(v);
        if (!finite) {
            // Not the kernel's error to raise: the driver names the tensor and decides (refuse or --skip-nonfinite).
            java.util.Arrays.fill(sums, Double.NaN);
            return sums;
        }
        NoWagNormalizer.accumulateColumnSumSquares(w, block.rowCount, block.cols(), sums);
        return sums;
    }
}
