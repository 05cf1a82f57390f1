package org.nowag.job.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.Compressor;
import org.nowag.job.plan.Recipe;
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
     * @param recipe the run's rules: the command line's one rule, or a --recipe file's
     * @param master the --master given, or null (then spark.master from spark-submit / -D, else local[*])
     */
    static int print(Recipe recipe, CompressOptions opts, String master, PrintStream out) throws IOException {
        return print(recipe, opts, master, out, null);
    }

    /** @param budget the budget's lines (its allocation, computed by Spark beforehand), or null without a budget */
    static int print(Recipe recipe, CompressOptions opts, String master, PrintStream out, List<String> budget)
            throws IOException {
        // Settings objects: system properties and --conf; nothing starts.
        SparkConf spark = org.nowag.job.spark.CommandSettings.sparkConf();
        Configuration conf = org.nowag.job.spark.SparkContexts.hadoopConfiguration();
        CompressionRun.Planned run = Compressor.plan(recipe, opts, conf);
        boolean fromFile = recipe.text() != null;

        long modelBytes = 0;
        for (TensorInfo t : run.model.tensors()) modelBytes += t.byteSize();
        long targetBytes = 0;
        long maxTask = 0;
        long maxOffHeap = 0;
        TargetTensor largest = null;
        // Per rule: the tensors it decides and their bytes, for the plan lines and the time estimate.
        Map<Recipe.Rule, long[]> perRule = new LinkedHashMap<>();
        for (Recipe.Rule r : recipe.rules()) perRule.put(r, new long[2]);
        for (TensorInfo t : run.model.tensors()) {
            Recipe.Rule r = recipe.ruleFor(t);
            if (r == null) continue;
            perRule.get(r)[0]++;
            perRule.get(r)[1] += t.byteSize();
        }
        for (TargetTensor t : run.plan.targets) {
            targetBytes += t.info.byteSize();
            long bytes = t.method.taskBytes(t);
            if (largest == null || bytes > maxTask) largest = t;
            maxTask = Math.max(maxTask, bytes);
            maxOffHeap = Math.max(maxOffHeap, t.method.taskOffHeapBytes(t));
        }
        String masterName = master != null ? master : spark.get("spark.master", "local[*]");
        int slots = TimeEstimate.slots(masterName, Runtime.getRuntime().availableProcessors(),
                spark.get("spark.executor.instances", null), spark.get("spark.executor.cores", null),
                spark.get("spark.task.cpus", null));

        out.println(budget == null ? "dry run: nothing written, Spark not started"
                : "dry run: nothing written; Spark ran only the budget's loss curves (one pass over the allocated weights)");
        out.printf(Locale.ROOT, "model    %s: %d tensors, %s%n", opts.model(), run.model.tensors().size(), ProgressLine.bytes(modelBytes));
        if (fromFile) {
            out.printf(Locale.ROOT, "plan     %d tensors (%s) to compress by recipe %s in %d tasks; %d output shard(s)%n",
                    run.plan.targets.size(), ProgressLine.bytes(targetBytes), recipe.source(), run.plan.blockCount(),
                    run.plan.outputLayout.shardCount());
            for (Map.Entry<Recipe.Rule, long[]> e : perRule.entrySet()) {
                Recipe.Rule r = e.getKey();
                out.printf(Locale.ROOT, "  rule %d  %-9s %s  %s: %d tensors (%s)%n", r.number, r.methodName(),
                        r.given.isEmpty() ? "" : r.given.toString(), r.regex, e.getValue()[0],
                        ProgressLine.bytes(e.getValue()[1]));
            }
        } else {
            out.printf(Locale.ROOT, "plan     %d tensors (%s) to compress with %s %s in %d tasks; %d output shard(s)%n",
                    run.plan.targets.size(), ProgressLine.bytes(targetBytes), opts.method(), setting(opts, recipe),
                    run.plan.blockCount(), run.plan.outputLayout.shardCount());
        }
        if (budget != null) budget.forEach(out::println);
        out.printf(Locale.ROOT, "output   %s (%s)%n", opts.out(), outputState(opts.out(), conf));
        out.printf(Locale.ROOT, "memory   largest task: %.1f MiB of executor heap (%s; docs/memory.md)%n",
                maxTask / 1048576.0, (largest == null ? opts.method().plugin() : largest.method).taskBytesCounts());
        if (maxOffHeap > 0) out.printf(Locale.ROOT, "         plus up to %.1f MiB off the heap (ND4J's chunked GEMMs)%n", maxOffHeap / 1048576.0);
        if (masterName.startsWith("local") && slots > 0) {
            // On one machine the tasks share this JVM's heap.
            int concurrent = (int) Math.min(slots, Math.max(1, run.plan.blockCount()));
            long heap = Runtime.getRuntime().maxMemory();
            out.printf(Locale.ROOT, "         %s: %d tasks at once need up to %.2f GiB; this JVM's max heap is %.2f GiB%s%n",
                    masterName, concurrent, concurrent * maxTask / 1073741824.0, heap / 1073741824.0,
                    concurrent * maxTask > heap ? " (too small: raise -Xmx, e.g. NOWAG_JAVA_OPTS=-Xmx16g, or use fewer cores)" : "");
        }
        int taskSlots = Math.max(1, slots);
        String rates;
        double seconds = 0;
        if (fromFile) {
            // Each rule's tensors at its method's rate (a skip rule costs a copy, counted nowhere: the estimate is rough).
            for (Map.Entry<Recipe.Rule, long[]> e : perRule.entrySet()) {
                Recipe.Rule r = e.getKey();
                if (r.method == null) continue;
                CompressionMethod m = CompressionMethod.parse(r.method.name());
                seconds += TimeEstimate.seconds(m, e.getValue()[1], taskSlots, iterations(m, r.settings));
            }
            rates = "at each rule's method's rate";
        } else {
            CompressionMethod m = opts.method();
            int iterations = iterations(m, opts);
            seconds = TimeEstimate.seconds(m, modelBytes, taskSlots, iterations);
            String per = TimeEstimate.perIteration(m) ? " per iteration (" + iterations + " iterations: an upper bound)" : "";
            rates = String.format(Locale.ROOT, "at %.0f core-seconds per GB%s", TimeEstimate.coreSecondsPerGb(m), per);
        }
        if (slots > 0) {
            out.printf(Locale.ROOT, "time     about %s on %d task slot(s) (%s), %s measured by %s%n",
                    ProgressLine.duration(seconds), slots, masterName, rates, TimeEstimate.SOURCE);
        } else {
            out.printf(Locale.ROOT, "time     about %s of task time in all (%s gives no executor count: divide by your task slots), "
                            + "%s measured by %s%n",
                    ProgressLine.duration(seconds), masterName, rates, TimeEstimate.SOURCE);
        }
        return 0;
    }

    /** VQ's and ARMOR's iterations (their time scales with them); 1 for the others. */
    private static int iterations(CompressionMethod m, CompressOptions settings) {
        if (m == CompressionMethod.NOWAG_VQ) return settings.vq().maxIterations;
        if (m == CompressionMethod.ARMOR) return settings.armor().iterations();
        return 1;
    }

    /** What compress would find at --out, read-only. */
    static String outputState(String out, Configuration conf) throws IOException {
        Path p = new Path(out);
        FileSystem fs = p.getFileSystem(conf);
        if (!fs.exists(p)) return "does not exist: compress creates it";
        if (fs.exists(new Path(p, "_SUCCESS"))) return "complete (_SUCCESS): compress with the same settings does nothing";
        return "exists, not complete: compress resumes it when the settings match, else refuses";
    }

    /** The command line's setting as its method reads it (a pruning pattern is not a VQ or ARMOR setting). */
    private static String setting(CompressOptions opts, Recipe recipe) {
        return switch (opts.method()) {
            case NOWAG_VQ -> recipe.budget() != null && recipe.budget().kind == org.nowag.job.plan.BudgetSpec.Kind.BITS
                    ? opts.vq().toString().replaceFirst("K=\\d+", "K per matrix (budget)") : opts.vq().toString();
            case ARMOR -> opts.armor().toString();
            case RTN -> opts.rtn().toString();
            case COPY -> "";
            default -> opts.pattern().toString();
        };
    }
}
