package org.nowag.tools.measure;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.job.api.BadOptionException;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.Compressor;
import org.nowag.job.api.Preflight;
import org.nowag.job.cli.Log;
import org.nowag.job.cli.OptionValues;
import org.nowag.job.progress.Progress;
import org.nowag.job.spark.SparkContexts;
import org.nowag.job.spark.SparkMaster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the pruning methods on a generated Llama-shaped BF16 model, as ratios to the I/O floor "
                + "measured in the same run: warm-up rounds first, then --repeat interleaved rounds, medians (a "
                + "benchmark, not a test: nothing here asserts on time).",
        footer = {"", "Example:", "  java -jar spark-job/target/nowag-spark.jar bench --size-gb 1 --dir /tmp/nowag-bench"})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "nowag-bench", description = "Scratch directory (about 3x the model size). Default: ${DEFAULT-VALUE}.")
    String dir;

    @Option(names = "--size-gb", defaultValue = "1.0", description = "Approximate model size in GB. Default: ${DEFAULT-VALUE}.")
    double sizeGb;

    @Option(names = "--methods", defaultValue = "nowag-p,wanda,magnitude", split = ",", description = "Methods to time "
            + "(any of compress's; sparsegpt gets generated calibration files). Default: ${DEFAULT-VALUE}.")
    List<String> methods;

    @Option(names = "--vq-iters", defaultValue = "1", description = "nowag-vq: k-means iterations (the default run "
            + "takes up to 100; one shows the cost per iteration). Default: ${DEFAULT-VALUE}.")
    int vqIters;

    @Option(names = "--armor-iters", defaultValue = "1", description = "armor: outer iterations (the default run "
            + "takes 10). Default: ${DEFAULT-VALUE}.")
    int armorIters;

    @Option(names = "--master", description = "Spark master. Default: local[*].")
    String master;

    @Option(names = "--repeat", defaultValue = "3", description = "Counted rounds. A round times every run once, "
            + "interleaved: the I/O floor, the pipeline with no kernel, then each method and its plain loop; the tables "
            + "show each run's median and range, and the ratios use the medians. Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Option(names = "--warm-up", defaultValue = "1", description = "Rounds run first and not counted: Spark's start, "
            + "the JIT's compilation of the kernels and the page cache would otherwise land on the first runs. "
            + "Default: ${DEFAULT-VALUE}.")
    int warmUp;

    @Override
    @SuppressWarnings("try") // the progress line only needs to live as long as the command
    public Integer call() throws Exception {
        if (vqIters < 1) throw new BadOptionException("--vq-iters " + vqIters + " must be >= 1");
        if (armorIters < 1) throw new BadOptionException("--armor-iters " + armorIters + " must be >= 1");
        if (repeat < 1) throw new BadOptionException("--repeat " + repeat + " must be >= 1");
        if (warmUp < 0) throw new BadOptionException("--warm-up " + warmUp + " must be >= 0");
        OptionValues.positive("--size-gb", sizeGb, "GB of generated model");
        List<CompressionMethod> timed = new ArrayList<>();
        for (String m : methods) {  // an unknown method stops before the model is generated
            CompressionMethod method = CompressionMethod.parse(m);
            // copy is the pipeline floor every round measures anyway
            if (method != CompressionMethod.COPY && !timed.contains(method)) timed.add(method);
        }
        SparkMaster.check(master);
        Configuration conf = SparkContexts.hadoopConfiguration();
        Preflight.workDirectory("--dir", dir, conf);
        Path root = new Path(dir);
        FileSystem fs = root.getFileSystem(conf);
        root = fs.makeQualified(root);
        if (fs.exists(root) && fs.listStatus(root).length > 0) {
            throw new IllegalArgumentException("bench directory " + root + " is not empty; give a new --dir");
        }
        Path model = new Path(root, "model");
        int layers = SyntheticLlama.layersFor((long) (sizeGb * 1e9));
        long t0 = System.nanoTime();
        long bytes = SyntheticLlama.write(fs, model, layers, 500_000_000L, 42);
        Log.info(String.format("generated %d layers, %.3f GB of BF16 tensors in %.1f s", layers, bytes / 1e9, secs(t0)));

        Samples floor = new Samples();
        Samples pipeline = new Samples();
        Map<CompressionMethod, Samples> spark = new LinkedHashMap<>();
        Map<CompressionMethod, Samples> plain = new LinkedHashMap<>();
        for (CompressionMethod m : timed) {
            spark.put(m, new Samples());
            if (ExecutorProof.runs(m)) plain.put(m, new Samples());  // PlainLoop runs the row-block pruning path
        }
        try (SparkContexts.Handle sc = SparkContexts.getOrCreate(master);
             Progress progress = Progress.forCommand(sc.context, Log::info)) {
            Compressor compressor = new Compressor(sc.context, Log::info);
            int threads = sc.context.defaultParallelism();
            Map<CompressionMethod, org.nowag.job.plan.CompressionPlan> plainPlans = new LinkedHashMap<>();
            for (CompressionMethod m : plain.keySet()) {
                CompressOptions opts = new CompressOptions().model(model.toString())
                        .out(new Path(root, "unused").toString()).method(m);
                plainPlans.put(m, Compressor.plan(opts, conf).plan);
            }
            for (int round = 0; round < warmUp + repeat; round++) {
                boolean counted = round >= warmUp;
                String label = counted ? "round " + (round - warmUp + 1) + " of " + repeat
                        : "warm-up round " + (round + 1) + " of " + warmUp + " (not counted)";
                Log.info("bench " + label);
                HeapWatch heap = HeapWatch.start();
                double cpu0 = cpuSeconds();
                t0 = System.nanoTime();
                IoFloor.copyAll(fs, model, new Path(root, "io-floor"));
                double s = secs(t0);
                double cpu = cpuSeconds() - cpu0;
                heap.close();
                fs.delete(new Path(root, "io-floor"), true);
                Log.info(String.format("I/O floor: %.2f s", s));
                if (counted) floor.add(s, cpu, heap);
                heap = HeapWatch.start();
                cpu0 = cpuSeconds();
                s = time(compressor, fs, new CompressOptions().model(model.toString())
                        .out(new Path(root, "out-copy").toString()).method(CompressionMethod.COPY));
                cpu = cpuSeconds() - cpu0;
                heap.close();
                if (counted) pipeline.add(s, cpu, heap);
                for (CompressionMethod m : timed) {
                    CompressOptions run = options(m, model, new Path(root, "out-" + m.cliName()), root, layers, fs);
                    heap = HeapWatch.start();
                    cpu0 = cpuSeconds();
                    s = time(compressor, fs, run);
                    cpu = cpuSeconds() - cpu0;
                    heap.close();
                    if (counted) spark.get(m).add(s, cpu, heap);
                    if (!plain.containsKey(m)) continue;
                    // The same work in a plain Java loop, no Spark: what Spark and the commit protocol add.
                    Path plainOut = new Path(root, "plain-" + m.cliName());
                    org.nowag.job.plan.CompressionPlan plan = plainPlans.get(m);
                    List<org.nowag.io.safetensors.TensorInfo> copied = plan.inputs.stream()
                            .filter(t -> !plan.targetsByName.containsKey(t.name())).toList();
                    heap = HeapWatch.start();
                    cpu0 = cpuSeconds();
                    PlainLoop.Result r = PlainLoop.run(plan.targets, copied, plan.sourceShards, plainOut, conf, threads);
                    cpu = cpuSeconds() - cpu0;
                    heap.close();
                    fs.delete(plainOut, true);
                    Log.info(String.format("%s plain loop: %.2f s", m.cliName(), r.seconds));
                    if (counted) {
                        plain.get(m).add(r.seconds, cpu, heap);
                        plain.get(m).addExtra(r.kernelThreadSeconds);
                    }
                }
            }
            List<String[]> rows = new ArrayList<>();
            double f = floor.median();
            double p = pipeline.median();
            rows.add(row("I/O floor (read + write the model's bytes)", floor, "1.00", "-"));
            rows.add(row("pipeline, no kernel (--method copy)", pipeline, fmt(p / f), "1.00"));
            for (Map.Entry<CompressionMethod, Samples> e : spark.entrySet()) {
                double s = e.getValue().median();
                rows.add(row(e.getKey().cliName() + " (" + describe(e.getKey()) + ")", e.getValue(), fmt(s / f), fmt(s / p)));
            }
            List<String[]> plainRows = new ArrayList<>();
            for (Map.Entry<CompressionMethod, Samples> e : plain.entrySet()) {
                Samples sp = spark.get(e.getKey());
                Samples pl = e.getValue();
                plainRows.add(new String[]{e.getKey().cliName(), fmt(sp.median()), fmt(pl.median()), range(pl),
                        fmt(sp.median() / pl.median()), fmt(sp.cpuMedian()), fmt(pl.cpuMedian()),
                        fmt(pl.extraMedian()), mib(pl.peakHeapBytes()), mib(pl.liveHeapBytes())});
            }
            print(System.out, layers, bytes, sc.context.master(), rows);
            printPlain(System.out, threads, plainRows);
        } finally {
            fs.delete(root, true);
        }
        return 0;
    }

    private String[] row(String name, Samples s, String xFloor, String xPipeline) {
        return new String[]{name, fmt(s.median()), range(s), fmt(s.cpuMedian()), xFloor, xPipeline,
                mib(s.peakHeapBytes()), mib(s.liveHeapBytes())};
    }

    private static String range(Samples s) {
        return fmt(s.min()) + "-" + fmt(s.max());
    }

    private static double time(Compressor compressor, FileSystem fs, CompressOptions opts) throws Exception {
        long t0 = System.nanoTime();
        CompressionReport r = compressor.run(opts);
        double s = secs(t0);
        Log.info(String.format("%s: %.2f s, %d kernel tasks", opts.method(), s, r.kernelTasksRun));
        fs.delete(new Path(opts.out()), true);
        return s;
    }

    /** Each method with its default pattern; VQ and ARMOR with the iteration caps; SparseGPT with generated X^T X. */
    private CompressOptions options(CompressionMethod method, Path model, Path out, Path root, int layers, FileSystem fs)
            throws java.io.IOException {
        CompressOptions opts = new CompressOptions().model(model.toString()).out(out.toString()).method(method);
        switch (method) {
            case NOWAG_VQ:
                return opts.vq(org.nowag.kernels.vq.VqConfig.ofBits(org.nowag.kernels.vq.VqConfig.DEFAULT_DIM,
                        org.nowag.kernels.vq.VqConfig.DEFAULT_BITS, vqIters, 0L));
            case ARMOR:
                return opts.pattern(org.nowag.kernels.prune.SparsityPattern.nOfM(2, 4))
                        .armor(org.nowag.kernels.armor.ArmorConfig.of(org.nowag.kernels.armor.ArmorConfig.DEFAULT_BLOCK_SIZE,
                                armorIters, true));
            case SPARSEGPT: {
                Path stats = new Path(root, "stats.safetensors");
                if (!fs.exists(stats)) {
                    java.util.Map<String, Integer> weights = new java.util.LinkedHashMap<>();
                    for (org.nowag.io.safetensors.TensorSpec t : SyntheticLlama.specs(layers)) {
                        if (t.shape().length == 2 && t.name().matches(CompressOptions.DEFAULT_INCLUDE)) {
                            weights.put(t.name(), (int) t.shape()[1]);
                        }
                    }
                    long t0 = System.nanoTime();
                    SyntheticGram.write(fs, stats, weights, 5);
                    Log.info(String.format("sparsegpt: wrote X^T X of %d weights in %.1f s (not timed below)",
                            weights.size(), secs(t0)));
                }
                return opts.calibration(stats.toString());
            }
            default:
                return opts;
        }
    }

    private String describe(CompressionMethod method) {
        switch (method) {
            case NOWAG_VQ:
                return "d=6 K=4096, " + vqIters + " k-means iteration(s)";
            case ARMOR:
                return "2:4 b=32, " + armorIters + " iteration(s)";
            default:
                return "default pattern: 50%";
        }
    }

    private void print(PrintStream out, int layers, long bytes, String master, List<String[]> rows) {
        Runtime rt = Runtime.getRuntime();
        out.printf("model: synthetic Llama (hidden %d, MLP %d), %d layers, %.3f GB BF16; Spark %s; %d cores; max heap %.1f GiB; %s %s%n",
                SyntheticLlama.HIDDEN, SyntheticLlama.INTERMEDIATE, layers, bytes / 1e9, master, rt.availableProcessors(),
                rt.maxMemory() / 1073741824.0, System.getProperty("java.vm.name"), System.getProperty("java.version"));
        out.printf("kernels: %s%n", org.nowag.kernels.simd.Simd.describe());
        out.printf("timing: %d warm-up round(s) not counted, then %d counted round(s), runs interleaved; seconds = median, "
                + "range = min-max, ratios of medians; CPU s = the JVM's CPU seconds over the run, all threads (median: "
                + "the work done, less sensitive than wall time to other load); heap = the largest over the counted "
                + "rounds%n", warmUp, repeat);
        out.printf("| %-44s | %9s | %11s | %7s | %14s | %19s | %14s | %16s |%n", "run", "seconds", "range s", "CPU s",
                "x I/O floor", "x pipeline floor", "peak heap MiB", "live after GC MiB");
        out.printf("|%s|%s|%s|%s|%s|%s|%s|%s|%n", "-".repeat(46), "-".repeat(11), "-".repeat(13), "-".repeat(9),
                "-".repeat(16), "-".repeat(21), "-".repeat(16), "-".repeat(18));
        for (String[] r : rows) {
            out.printf("| %-44s | %9s | %11s | %7s | %14s | %19s | %14s | %16s |%n", (Object[]) r);
        }
    }

    private static void printPlain(PrintStream out, int threads, List<String[]> rows) {
        out.printf("%nThe same work without Spark (plain Java loop, %d threads: targets read and checked for NaN/Inf, "
                + "column norms, prune, encode; the other tensors copied; SHA-256 of every byte written):%n", threads);
        out.printf("| %-10s | %9s | %11s | %11s | %15s | %11s | %11s | %21s | %14s | %16s |%n", "method", "Spark s",
                "plain s", "plain range", "Spark / plain", "Spark CPU s", "plain CPU s", "plain kernel thread-s",
                "plain peak MiB", "plain live MiB");
        out.printf("|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%n", "-".repeat(12), "-".repeat(11), "-".repeat(13), "-".repeat(13),
                "-".repeat(17), "-".repeat(13), "-".repeat(13), "-".repeat(23), "-".repeat(16), "-".repeat(18));
        for (String[] r : rows) {
            out.printf("| %-10s | %9s | %11s | %11s | %15s | %11s | %11s | %21s | %14s | %16s |%n", (Object[]) r);
        }
    }

    /** The JVM's CPU time so far, all threads (NaN where the platform bean does not say). */
    private static double cpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            long ns = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
            if (ns >= 0) return ns / 1e9;
        }
        return Double.NaN;
    }

    private static String mib(long bytes) { return String.format("%.0f", bytes / 1048576.0); }

    private static double secs(long t0) { return (System.nanoTime() - t0) / 1e9; }

    private static String fmt(double v) { return String.format("%.2f", v); }
}
