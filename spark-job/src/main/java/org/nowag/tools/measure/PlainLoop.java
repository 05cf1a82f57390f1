package org.nowag.tools.measure;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.fs.FileDigest;
import org.nowag.io.fs.LocalChecksums;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.method.NonFiniteWeights;
import org.nowag.job.method.prune.PruneParams;
import org.nowag.job.plan.TargetTensor;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.nowag.kernels.prune.PruneResult;
import org.nowag.kernels.prune.Pruner;

/**
 * The same work as a compress run, without Spark: every target tensor of the plan read whole and checked for NaN
 * and infinities, its column norms, pruned (the method's pattern), encoded back to its dtype; every other tensor's
 * bytes copied as they are; everything written as raw bytes (as a run writes its files: no Hadoop .crc beside them)
 * with the SHA-256 of every byte written, on a plain thread pool with one thread per core (as local[*] has), the
 * largest tensors first. What it leaves out is what Spark and the commit protocol add: task scheduling and
 * serialization, one task per output shard (the tasks are coarser than this loop's one tensor each), safetensors
 * headers, the records, index, manifest and reports.
 */
public final class PlainLoop {
    /** Wall-clock seconds, and the kernels' share (column norms, prune, encode) summed over threads. */
    public static final class Result {
        public double seconds;
        public double kernelThreadSeconds;
        public int tensors;
    }

    private PlainLoop() {}

    /**
     * @param copied the tensors the run copies as they are, each read from sourceShards.get(name)
     */
    public static Result run(List<TargetTensor> targets, List<TensorInfo> copied, Map<String, String> sourceShards,
                             Path outDir, Configuration conf, int threads) throws Exception {
        FileSystem outFs = outDir.getFileSystem(conf);
        outFs.mkdirs(outDir);
        AtomicLong kernelNanos = new AtomicLong();
        List<Work> work = new ArrayList<>();
        for (TargetTensor t : targets) {
            work.add(new Work(t.info.byteSize(), () -> one(t, new Path(outDir, t.name() + ".bin"), conf, kernelNanos)));
        }
        for (TensorInfo t : copied) {
            Path source = new Path(sourceShards.get(t.name()));
            work.add(new Work(t.byteSize(), () -> copy(t, source, new Path(outDir, t.name() + ".bin"), conf)));
        }
        work.sort(Comparator.comparingLong((Work w) -> w.bytes).reversed());  // as the run submits its tasks
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Work w : work) {
                done.add(pool.submit(() -> {
                    w.task.run();
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        Result r = new Result();
        r.seconds = (System.nanoTime() - start) / 1e9;
        r.kernelThreadSeconds = kernelNanos.get() / 1e9;
        r.tensors = targets.size();
        return r;
    }

    private interface IoTask {
        void run() throws IOException;
    }

    private record Work(long bytes, IoTask task) {}

    private static void one(TargetTensor t, Path out, Configuration conf, AtomicLong kernelNanos) throws IOException {
        PruneParams params = (PruneParams) t.params;
        int rows = Math.toIntExact(t.info.rows());
        int cols = Math.toIntExact(t.info.cols());
        Path shard = new Path(t.shardPath);
        float[] w;
        try (SafetensorsFile in = SafetensorsFile.open(shard.getFileSystem(conf), shard)) {
            w = in.readRowsAsFloat(t.name(), 0, rows);
        }
        NonFiniteWeights.check(t.name(), w, 0, cols);
        long k0 = System.nanoTime();
        double[] sums = new double[cols];
        NoWagNormalizer.accumulateColumnSumSquares(w, rows, cols, sums);
        float[] colNorms = NoWagNormalizer.columnNorms(sums);
        PruneResult pruned = Pruner.prune(params.kernel, params.pattern, w, rows, cols, colNorms, null);
        w = null; // let the input go before the output bytes are allocated
        byte[] bytes = new byte[Math.toIntExact((long) rows * cols * t.info.dtype().bytes())];
        FloatCodec.encode(pruned.pruned, 0, t.info.dtype(), bytes, 0, rows * cols);
        kernelNanos.addAndGet(System.nanoTime() - k0);
        try (OutputStream os = LocalChecksums.writer(out.getFileSystem(conf)).create(out, true);
             FileDigest.Counting hashed = new FileDigest.Counting(os)) {
            hashed.write(bytes);
            hashed.digest(t.name());
        }
    }

    private static void copy(TensorInfo t, Path source, Path out, Configuration conf) throws IOException {
        try (SafetensorsFile in = SafetensorsFile.open(source.getFileSystem(conf), source);
             OutputStream os = LocalChecksums.writer(out.getFileSystem(conf)).create(out, true);
             FileDigest.Counting hashed = new FileDigest.Counting(os)) {
            in.copyBytes(t.name(), 0, t.byteSize(), hashed);
            hashed.digest(t.name());
        }
    }
}
