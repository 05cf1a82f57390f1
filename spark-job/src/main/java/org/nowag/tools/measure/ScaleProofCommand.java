package org.nowag.tools.measure;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.Compressor;
import org.nowag.job.cli.Log;
import org.nowag.job.run.CompressionRun;
import org.nowag.job.plan.RowBlock;
import org.nowag.job.plan.TargetTensor;
import org.nowag.kernels.prune.SparsityPattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "scale-proof", mixinStandardHelpOptions = true,
        description = "Show that Llama-2-70B fits: plan the real 70B layout (sparse files, real headers) for every "
                + "method, then run layer 0's full-size matrices through the executor tasks under this JVM's heap.",
        footer = {"", "Example (the heap under test is the JVM's: JAVA_TOOL_OPTIONS=-Xmx2g proves a 2 GiB executor):",
                "  java -jar spark-job/target/nowag-spark.jar scale-proof --dir /tmp/llama-2-70b-layout"})
public final class ScaleProofCommand implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "llama-2-70b-layout",
            description = "Where the sparse 70B layout is written (about 1.8 GB on disk: layer 0 is dense). Default: ${DEFAULT-VALUE}.")
    String dir;

    @Option(names = "--layer-prefix", defaultValue = "model.layers.0.",
            description = "Tensors given real data and run through the executor tasks. Default: ${DEFAULT-VALUE}.")
    String densePrefix;

    @Option(names = "--plan-only", description = "Plan every method on the 70B layout; run no executor task.")
    boolean planOnly;

    @Option(names = "--calib-samples", defaultValue = "128", description = "calibrate plan: windows. Default: ${DEFAULT-VALUE}.")
    int calibSamples;

    @Option(names = "--calib-seq-len", defaultValue = "2048", description = "calibrate plan: tokens per window. Default: ${DEFAULT-VALUE}.")
    int calibSeqLen;

    @Option(names = "--calib-partitions", defaultValue = "16", description = "calibrate plan: map tasks. Default: ${DEFAULT-VALUE}.")
    int calibPartitions;

    @Option(names = "--calib-reducers", defaultValue = "64", description = "calibrate plan: reduce tasks. Default: ${DEFAULT-VALUE}.")
    int calibReducers;

    @Option(names = "--calib-executors", defaultValue = "16", description = "calibrate plan: executors (one task at a time each). Default: ${DEFAULT-VALUE}.")
    int calibExecutors;

    @Override
    public Integer call() throws Exception {
        java.nio.file.Path local = java.nio.file.Path.of(dir).toAbsolutePath();
        org.nowag.job.api.Preflight.workDirectory("--dir", local.toUri().toString(), new Configuration());
        if (!Files.exists(local.resolve("model.safetensors.index.json"))) {
            Log.info("writing the Llama-2-70B layout (sparse, " + densePrefix + "* dense) into " + local);
            Llama70bLayout.write(local, name -> name.startsWith(densePrefix), 70);
        }
        java.nio.file.Path stats = local.resolve("stats.safetensors");
        if (!Files.exists(local.resolve("stats.xtx.safetensors"))) Llama70bLayout.writeCalibration(local);
        Configuration conf = new Configuration();
        String model = local.toUri().toString();
        Path parts = new Path(local.resolve("proof-parts").toUri());
        // The high-water mark counts garbage not yet collected, so it nears -Xmx whatever the live set; the proof is
        // that every task completes under the given -Xmx.
        System.out.printf("executor heap (-Xmx): %.2f GiB; %d cores%n", Runtime.getRuntime().maxMemory() / 1073741824.0,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("| %-32s | %7s | %11s | %14s | %15s | %12s | %15s | %9s |%n", "method", "tasks", "driver heap",
                "largest task", "estimate (MiB)", "layer-0 runs", "heap high-water", "seconds");
        for (CompressOptions opts : configurations(model, stats.toUri().toString())) {
            System.gc();
            long before = usedHeap();
            CompressionRun.Planned run = Compressor.plan(opts, conf);
            long driver = Math.max(0, usedHeap() - before);
            long largest = 0;
            for (TargetTensor t : run.plan.targets) largest = Math.max(largest, t.method.taskBytes(t));
            int tasks = run.plan.blockCount();
            if (planOnly || !ExecutorProof.runs(opts.method())) {
                // One task per matrix (or VQ's own row blocks): checked at full size by `mem-check --run` instead.
                System.out.printf("| %-32s | %7d | %7.1f MiB | %10.1f MiB | %15s | %12s | %15s | %9s |%n",
                        opts.method() + " " + describe(opts),
                        ExecutorProof.runs(opts.method()) ? tasks : run.plan.targets.size(), driver / 1048576.0,
                        largest / 1048576.0, planOnly ? "-" : "mem-check", "-", "-", "-");
                continue;
            }
            List<TargetTensor> dense = run.plan.targets.stream().filter(t -> t.name().startsWith(densePrefix))
                    .collect(Collectors.toList());
            ExecutorProof.Result r = ExecutorProof.run(dense, opts, parts, conf);
            System.out.printf("| %-32s | %7d | %7.1f MiB | %10.1f MiB | %15.1f | %12d | %11.1f MiB | %9.1f |%n",
                    opts.method() + " " + opts.pattern(), tasks, driver / 1048576.0, largest / 1048576.0,
                    r.largestEstimate / 1048576.0, r.tasks, r.peakHeapBytes / 1048576.0, r.seconds);
        }
        FileSystem.getLocal(conf).delete(parts, true);
        printCalibrationPlan();
        return 0;
    }

    /** calibrate (diagonal only, and --full) on the 70B layout: tasks, memory, bytes per task and per executor. */
    private void printCalibrationPlan() {
        System.out.printf("%ncalibrate on the 70B layout: %d windows x %d tokens, %d map tasks, %d reduce tasks, %d executors%n",
                calibSamples, calibSeqLen, Math.min(calibSamples, calibPartitions), calibReducers, calibExecutors);
        System.out.printf("| %-7s | %7s | %13s | %13s | %13s | %14s | %14s | %13s | %14s | %14s |%n", "stats", "T/task",
                "layer weights", "map heap", "map off-heap", "read/map task", "shuffle/map", "reduce heap",
                "shuffle/reduce", "read/executor");
        for (boolean full : new boolean[] {false, true}) {
            org.nowag.job.calib.CalibrationPlan p = org.nowag.job.calib.CalibrationPlan.of(Llama70bLayout.specs(),
                    calibSamples, calibSeqLen, calibPartitions, calibReducers, full);
            long mapsPerExecutor = (p.mapTasks + calibExecutors - 1) / calibExecutors;
            long reducesPerExecutor = (p.reduceTasks + calibExecutors - 1) / calibExecutors;
            long perExecutor = mapsPerExecutor * p.modelBytes + reducesPerExecutor * p.shuffleBytesPerReduceTask;
            System.out.printf("| %-7s | %7d | %9.2f GiB | %9.2f GiB | %9.2f GiB | %10.1f GB | %10.1f GB | %9.1f MiB | %10.1f GB | %10.1f GB |%n",
                    full ? "--full" : "diag", p.tokensPerMapTask, gib(p.largestLayerFloatBytes), gib(p.mapHeapBytes),
                    gib(p.mapOffHeapBytes), p.modelBytes / 1e9, p.shuffleBytesPerMapTask / 1e9, p.reduceHeapBytes / 1048576.0,
                    p.shuffleBytesPerReduceTask / 1e9, perExecutor / 1e9);
            if (full) {
                System.out.printf("--full: %d weights; X^T X file %.1f GB written by one task (reads the staged pieces: "
                        + "the same bytes), statistics file %.1f MB by another; bands of %d rows at d_in 28672%n",
                        p.weights, p.fullFileBytes / 1e9, p.statisticsFileBytes / 1e6,
                        org.nowag.job.calib.CalibrationPlan.bandRows(Llama70bLayout.INTERMEDIATE));
            }
        }
        System.out.println("map heap/off-heap: calibrate's own (inputs of one layer, one band); the forward pass adds the "
                + "layer's weights (column 'layer weights', ND4J off-heap) and its activations. read/executor: model "
                + "reads of its map tasks plus the shuffle its reduce tasks fetch.");
    }

    private static double gib(long bytes) {
        return bytes / 1073741824.0;
    }

    private static String describe(CompressOptions opts) {
        switch (opts.method()) {
            case NOWAG_VQ:
                return "d=6 K=4096";
            case ARMOR:
                return "2:4 b=32";
            default:
                return opts.pattern().toString();
        }
    }

    private static List<CompressOptions> configurations(String model, String stats) {
        return List.of(
                options(model, CompressionMethod.NOWAG_P, SparsityPattern.unstructured(0.5, SparsityPattern.Group.MATRIX)),
                options(model, CompressionMethod.NOWAG_P, SparsityPattern.nOfM(2, 4)),
                options(model, CompressionMethod.WANDA, SparsityPattern.unstructured(0.5, SparsityPattern.Group.ROW)),
                options(model, CompressionMethod.MAGNITUDE, SparsityPattern.unstructured(0.5, SparsityPattern.Group.MATRIX)),
                options(model, CompressionMethod.SPARSEGPT, SparsityPattern.nOfM(2, 4)).calibration(stats),
                options(model, CompressionMethod.NOWAG_VQ, SparsityPattern.nOfM(2, 4)),
                options(model, CompressionMethod.ARMOR, SparsityPattern.nOfM(2, 4)));
    }

    private static CompressOptions options(String model, CompressionMethod method, SparsityPattern pattern) {
        return new CompressOptions().model(model).out("unused").method(method).pattern(pattern);
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
