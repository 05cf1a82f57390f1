package org.nowag.job.method.prune;

import java.io.IOException;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.job.plan.RowBlock;
import org.nowag.kernels.prune.BlockedThreshold;
import org.nowag.kernels.prune.PruneMethod;
import org.nowag.kernels.prune.Pruner;

/**
 * One histogram pass over a row block's importance scores, for a whole-matrix group split in row blocks:
 * pass 1 (highBin &lt; 0) counts by the keys' high bits, pass 2 counts the low bits within highBin.
 */
public final class ScoreHistogramTask implements Serializable {
    private static final long serialVersionUID = 1L;
    public final RowBlock block;
    public final PruneMethod method;
    public final float[] colNorms;
    public final float[] activations;
    public final int highBin;

    public ScoreHistogramTask(RowBlock block, PruneMethod method, float[] colNorms, float[] activations, int highBin) {
        this.block = block;
        this.method = method;
        this.colNorms = colNorms;
        this.activations = activations;
        this.highBin = highBin;
    }

    public long[] run(Configuration conf) throws IOException {
        Path shard = new Path(block.shardPath);
        float[] w;
        try (SafetensorsFile in = SafetensorsFile.open(shard.getFileSystem(conf), shard)) {
            w = in.readRowsAsFloat(block.tensor.name(), block.rowStart, block.rowCount);
        }
        float[] scores = Pruner.blockScores(method, w, block.rowCount, block.cols(), colNorms, activations);
        return highBin < 0 ? BlockedThreshold.highHistogram(scores) : BlockedThreshold.lowHistogram(scores, highBin);
    }
}
