package org.nowag.job.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.Compressor;
import org.nowag.job.plan.TargetTensor;
import org.nowag.job.progress.ProgressLine;
import org.nowag.job.run.CompressionRun;

/**
 * {@code compress --dry-run}: the plan, the largest task's memory and a rough time, from the model's headers only.
 * Starts no Spark and writes nothing (the output folder is only looked at).
 */
final class CompressDryRun {
    private CompressDryRun() {}

    /**
     * @param master the --master given, or null (then spark.master from spark-submit / -D, else local[*])
     * @param iterations VQ or ARMOR iterations for the time estimate (ignored by the other methods)
     */
    static int print(CompressOptions opts, String master, int iterations, PrintStream out) throws IOException {
        SparkConf spark = new SparkConf(true);  // a settings object: reads spark.* system properties, starts nothing
        Configuration conf = new Configuration();
        for (scala.Tuple2<String, String> kv : spark.getAllWithPrefix("spark.hadoop.")) conf.set(kv._1(), kv._2());
        CompressionRun.Planned run = Compressor.plan(opts, conf);
        CompressionMethod m = opts.method();

        long modelBytes = 0;
        for (TensorInfo t : run.model.tensors()) modelBytes += t.byteSize();
        long targetBytes = 0;
        long maxTask = 0;
        long maxOffHeap = 0;
        for (TargetTensor t : run.plan.targets) {
            targetBytes += t.info.byteSize();
            maxTask = Math.max(maxTask, t.method.taskBytes(t));
            maxOffHeap = Math.max(maxOffHeap, t.method.taskOffHeapBytes(t));
        }
        String masterName = master != null ? master : spark.get("spark.master", "local[*]");
        int slots = TimeEstimate.slots(masterName, Runtime.getRuntime().availableProcessors(),
                spark.get("spark.executor.instances", null), spark.get("spark.executor.cores", null),
                spark.get("spark.task.cpus", null));

        out.println("dry run: nothing written, Spark not started");
        out.printf(Locale.ROOT, "model    %s: %d tensors, %s%n", opts.model(), run.model.tensors().size(), ProgressLine.bytes(modelBytes));
        out.printf(Locale.ROOT, "plan     %d tensors (%s) to compress with %s %s in %d tasks; %d output shard(s)%n",
                run.plan.targets.size(), ProgressLine.bytes(targetBytes), m, opts.pattern(), run.plan.blockCount(),
                run.plan.outputLayout.shardCount());
        out.printf(Locale.ROOT, "output   %s (%s)%n", opts.out(), outputState(opts.out(), conf));
        out.printf(Locale.ROOT, "memory   largest task: %.1f MiB of executor heap (%s; docs/memory.md)%n",
                maxTask / 1048576.0, m.plugin().taskBytesCounts());
        if (maxOffHeap > 0) out.printf(Locale.ROOT, "         plus up to %.1f MiB off the heap (ND4J's chunked GEMMs)%n", maxOffHeap / 1048576.0);
        if (masterName.startsWith("local") && slots > 0) {
            // On one machine the tasks share this JVM's heap.
            int concurrent = (int) Math.min(slots, Math.max(1, run.plan.blockCount()));
            long heap = Runtime.getRuntime().maxMemory();
            out.printf(Locale.ROOT, "         %s: %d tasks at once need up to %.2f GiB; this JVM's max heap is %.2f GiB%s%n",
                    masterName, concurrent, concurrent * maxTask / 1073741824.0, heap / 1073741824.0,
                    concurrent * maxTask > heap ? " (too small: raise -Xmx, e.g. NOWAG_JAVA_OPTS=-Xmx16g, or use fewer cores)" : "");
        }
        double rate = TimeEstimate.coreSecondsPerGb(m);
        String per = TimeEstimate.perIteration(m) ? " per iteration (" + iterations + " iterations: an upper bound)" : "";
        if (slots > 0) {
            out.printf(Locale.ROOT, "time     about %s on %d task slot(s) (%s), at %.0f core-seconds per GB%s measured by %s%n",
                    ProgressLine.duration(TimeEstimate.seconds(m, modelBytes, slots, iterations)), slots, masterName, rate, per,
                    TimeEstimate.SOURCE);
        } else {
            out.printf(Locale.ROOT, "time     about %s of task time in all (%s gives no executor count: divide by your task slots), "
                            + "at %.0f core-seconds per GB%s measured by %s%n",
                    ProgressLine.duration(TimeEstimate.seconds(m, modelBytes, 1, iterations)), masterName, rate, per, TimeEstimate.SOURCE);
        }
        return 0;
    }

    /** What compress would find at --out, read-only. */
    static String outputState(String out, Configuration conf) throws IOException {
        Path p = new Path(out);
        FileSystem fs = p.getFileSystem(conf);
        if (!fs.exists(p)) return "does not exist: compress creates it";
        if (fs.exists(new Path(p, "_SUCCESS"))) return "complete (_SUCCESS): compress with the same settings does nothing";
        return "exists, not complete: compress resumes it when the settings match, else refuses";
    }
}
