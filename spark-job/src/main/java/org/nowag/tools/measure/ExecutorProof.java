package org.nowag.tools.measure;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.method.TensorWork;
import org.nowag.job.method.prune.ColumnStatsTask;
import org.nowag.job.method.prune.PruneParams;
import org.nowag.job.method.prune.PrunePrepared;
import org.nowag.job.method.prune.PruningPlugin;
import org.nowag.job.method.prune.ScoreHistogramTask;
import org.nowag.job.method.prune.WholeMatrixThresholds;
import org.nowag.kernels.prune.PruneMethod;
import org.nowag.job.plan.RowBlock;
import org.nowag.job.plan.TargetTensor;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.nowag.kernels.prune.BlockedThreshold;
import org.nowag.kernels.prune.SparsityPattern;

/**
 * Runs the executor-side units of a compress run (column norms, histogram passes, prune) for some tensors, one task
 * after another in this JVM, and records the heap's peak: what one executor with this heap needs per task.
 */
public final class ExecutorProof {
    public static final class Result {
        public int tasks;
        public long peakHeapBytes;
        public long largestEstimate;
        public double seconds;
    }

    private ExecutorProof() {}

    /** The methods whose tasks this runs: the row-block pruning methods. */
    public static boolean runs(org.nowag.job.api.CompressionMethod method) {
        return method.plugin() instanceof PruningPlugin;
    }

    public static Result run(List<TargetTensor> tensors, CompressOptions opts, Path partsDir, Configuration conf) throws IOException {
        PruneMethod kernel = ((PruneParams) tensors.get(0).params).kernel;
        resetPeaks();
        long start = System.nanoTime();
        Result r = new Result();
        SparsityPattern pattern = opts.pattern();
        for (TargetTensor t : tensors) {
            float[] colNorms = null;
            if (t.blocks.size() > 1) {
                double[] sums = new double[(int) t.info.cols()];
                for (RowBlock b : t.blocks) {
                    double[] s = new ColumnStatsTask(b).run(conf);
                    for (int j = 0; j < s.length; j++) sums[j] += s[j];
                    r.tasks++;
                }
                colNorms = NoWagNormalizer.columnNorms(sums);
            }
            long[] quotas = null;
            int key = 0;
            boolean matrixGroup = !pattern.isNOfM() && pattern.group() == SparsityPattern.Group.MATRIX;
            if (matrixGroup && t.blocks.size() > 1) {
                long k = pattern.keptPerGroup(t.info.numel());
                long[] high = new long[BlockedThreshold.HIGH_BINS];
                for (RowBlock b : t.blocks) {
                    BlockedThreshold.add(high, new ScoreHistogramTask(b, kernel, colNorms, null, -1).run(conf));
                    r.tasks++;
                }
                BlockedThreshold.Cut cut = BlockedThreshold.cut(high, k);
                long[] low = new long[BlockedThreshold.LOW_BINS];
                List<long[]> perBlock = new ArrayList<>();
                for (RowBlock b : t.blocks) {
                    long[] h = new ScoreHistogramTask(b, kernel, colNorms, null, cut.bin).run(conf);
                    perBlock.add(h);
                    BlockedThreshold.add(low, h.clone());
                    r.tasks++;
                }
                BlockedThreshold.Threshold th = BlockedThreshold.threshold(cut, low, k);
                long[] equal = new long[t.blocks.size()];
                for (int b = 0; b < equal.length; b++) equal[b] = perBlock.get(b)[th.key & (BlockedThreshold.LOW_BINS - 1)];
                quotas = WholeMatrixThresholds.quotas(equal, th.equalToKeep);
                key = th.key;
            }
            // The shard task runs the tensor's blocks one after another: the largest block is what one task holds.
            PrunePrepared prepared = colNorms == null ? null : new PrunePrepared(colNorms, quotas != null, key, quotas);
            t.method.write(new TensorWork(t, null, prepared), conf, new DiscardingOutput());
            r.tasks += t.blocks.size();
            r.largestEstimate = Math.max(r.largestEstimate, t.method.taskBytes(t));
        }
        r.seconds = (System.nanoTime() - start) / 1e9;
        r.peakHeapBytes = peakHeap();
        return r;
    }

    static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
        }
    }

    /** Sum of the heap pools' peaks: an upper bound on the live heap at any moment. */
    static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) sum += pool.getPeakUsage().getUsed();
        }
        return sum;
    }
}
