package org.nowag.job.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.WholeMatrixThresholds;
import org.nowag.job.exec.ColumnStatsTask;
import org.nowag.job.exec.PruneTask;
import org.nowag.job.exec.ScoreHistogramTask;
import org.nowag.job.plan.MemoryEstimate;
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
        return method == org.nowag.job.api.CompressionMethod.NOWAG_P || method == org.nowag.job.api.CompressionMethod.WANDA
                || method == org.nowag.job.api.CompressionMethod.MAGNITUDE;
    }

    public static Result run(List<TargetTensor> tensors, CompressOptions opts, Path partsDir, Configuration conf) throws IOException {
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
                    BlockedThreshold.add(high, new ScoreHistogramTask(b, opts.method().pruneMethod(), colNorms, null, -1).run(conf));
                    r.tasks++;
                }
                BlockedThreshold.Cut cut = BlockedThreshold.cut(high, k);
                long[] low = new long[BlockedThreshold.LOW_BINS];
                List<long[]> perBlock = new ArrayList<>();
                for (RowBlock b : t.blocks) {
                    long[] h = new ScoreHistogramTask(b, opts.method().pruneMethod(), colNorms, null, cut.bin).run(conf);
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
            for (RowBlock b : t.blocks) {
                String part = new Path(partsDir, t.name() + "-" + b.blockIndex + ".safetensors").toString();
                PruneTask task = new PruneTask(b, opts.method(), pattern, colNorms, null, part);
                if (quotas != null) task = task.withThreshold(key, quotas[b.blockIndex]);
                task.run(conf);
                new Path(part).getFileSystem(conf).delete(new Path(part), false);
                r.tasks++;
                r.largestEstimate = Math.max(r.largestEstimate, MemoryEstimate.pruneTaskBytes(t.info, b.rowCount));
            }
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
