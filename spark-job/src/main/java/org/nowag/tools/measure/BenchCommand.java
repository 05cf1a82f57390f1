package org.nowag.tools.measure;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
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
                + "measured in the same run (a benchmark, not a test: nothing here asserts on time).",
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

    @Override
    @SuppressWarnings("try") // the progress line only needs to live as long as the command
    public Integer call() throws Exception {
        if (vqIters < 1) throw new BadOptionException("--vq-iters " + vqIters + " must be >= 1");
        if (armorIters < 1) throw new BadOptionException("--armor-iters " + armorIters + " must be >= 1");
        OptionValues.positive("--size-gb", sizeGb, "GB of generated model");
        for (String m : methods) CompressionMethod.parse(m);  // an unknown method stops before the model is generated
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

        List<String[]> rows = new ArrayList<>();
        HeapWatch heap = HeapWatch.start();
        t0 = System.nanoTime();
        IoFloor.copyAll(fs, model, new Path(root, "io-floor"));
        double floor = secs(t0);
        heap.close();
        fs.delete(new Path(root, "io-floor"), true);
        rows.add(new String[]{"I/O floor (read + write the model's bytes)", fmt(floor), "1.00", "-", mib(heap.peakBytes()),
                mib(heap.liveAfterGcBytes())});
        List<String[]> plainRows = new ArrayList<>();

        try (SparkContexts.Handle spark = SparkContexts.getOrCreate(master);
             Progress progress = Progress.forCommand(spark.context, Log::info)) {
            Compressor compressor = new Compressor(spark.context, Log::info);
            heap = HeapWatch.start();
            double pipeline = time(compressor, fs, new CompressOptions().model(model.toString())
                    .out(new Path(root, "out-copy").toString()).method(CompressionMethod.COPY));
            heap.close();
            rows.add(new String[]{"pipeline, no kernel (--method copy)", fmt(pipeline), fmt(pipeline / floor), "1.00",
                    mib(heap.peakBytes()), mib(heap.liveAfterGcBytes())});
            int threads = spark.context.defaultParallelism();
            for (String m : methods) {
                CompressionMethod method = CompressionMethod.parse(m);
                CompressOptions run = options(method, model, new Path(root, "out-" + m), root, layers, fs);
                heap = HeapWatch.start();
                double s = time(compressor, fs, run);
                heap.close();
                rows.add(new String[]{m + " (" + describe(method) + ")", fmt(s), fmt(s / floor), fmt(s / pipeline),
                        mib(heap.peakBytes()), mib(heap.liveAfterGcBytes())});
                if (!ExecutorProof.runs(method)) continue;  // PlainLoop runs the row-block pruning path
                // The same kernels on the same tensors in a plain Java loop, no Spark: what Spark and the commit add.
                CompressOptions opts = new CompressOptions().model(model.toString()).out(new Path(root, "unused").toString())
                        .method(method);
                Path plainOut = new Path(root, "plain-" + m);
                heap = HeapWatch.start();
                PlainLoop.Result plain = PlainLoop.run(Compressor.plan(opts, conf).plan.targets, plainOut, conf, threads);
                heap.close();
                fs.delete(plainOut, true);
                plainRows.add(new String[]{m, fmt(s), fmt(plain.seconds), fmt(s / plain.seconds),
                        fmt(plain.kernelThreadSeconds), mib(heap.peakBytes()), mib(heap.liveAfterGcBytes())});
            }
            print(System.out, layers, bytes, spark.context.master(), rows);
            printPlain(System.out, threads, plainRows);
        } finally {
            fs.delete(root, true);
        }
        return 0;
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

    private static void print(PrintStream out, int layers, long bytes, String master, List<String[]> rows) {
        Runtime rt = Runtime.getRuntime();
        out.printf("model: synthetic Llama (hidden %d, MLP %d), %d layers, %.3f GB BF16; Spark %s; %d cores; max heap %.1f GiB; %s %s%n",
                SyntheticLlama.HIDDEN, SyntheticLlama.INTERMEDIATE, layers, bytes / 1e9, master, rt.availableProcessors(),
                rt.maxMemory() / 1073741824.0, System.getProperty("java.vm.name"), System.getProperty("java.version"));
        out.printf("kernels: %s%n", org.nowag.kernels.simd.Simd.describe());
        out.printf("| %-44s | %9s | %14s | %19s | %14s | %16s |%n", "run", "seconds", "x I/O floor", "x pipeline floor",
                "peak heap MiB", "live after GC MiB");
        out.printf("|%s|%s|%s|%s|%s|%s|%n", "-".repeat(46), "-".repeat(11), "-".repeat(16), "-".repeat(21),
                "-".repeat(16), "-".repeat(18));
        for (String[] r : rows) out.printf("| %-44s | %9s | %14s | %19s | %14s | %16s |%n", (Object[]) r);
    }

    private static void printPlain(PrintStream out, int threads, List<String[]> rows) {
        out.printf("%nSame kernels without Spark (plain Java loop, %d threads; reads, column norms, prune, encode, "
                + "one write):%n", threads);
        out.printf("| %-10s | %9s | %11s | %15s | %19s | %14s | %16s |%n", "method", "Spark s", "plain s",
                "Spark / plain", "plain kernel thread-s", "plain peak MiB", "plain live MiB");
        out.printf("|%s|%s|%s|%s|%s|%s|%s|%n", "-".repeat(12), "-".repeat(11), "-".repeat(13), "-".repeat(17),
                "-".repeat(23), "-".repeat(16), "-".repeat(18));
        for (String[] r : rows) out.printf("| %-10s | %9s | %11s | %15s | %21s | %14s | %16s |%n", (Object[]) r);
    }

    private static String mib(long bytes) { return String.format("%.0f", bytes / 1048576.0); }

    private static double secs(long t0) { return (System.nanoTime() - t0) / 1e9; }

    private static String fmt(double v) { return String.format("%.2f", v); }
}
