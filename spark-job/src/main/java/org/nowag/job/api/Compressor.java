package org.nowag.job.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.model.ShardLayout;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.job.calib.CalibrationStats;
import org.nowag.job.commit.OutputLayout;
import org.nowag.job.exec.ColumnStatsTask;
import org.nowag.job.exec.PartSummary;
import org.nowag.job.exec.PruneTask;
import org.nowag.job.exec.ShardSource;
import org.nowag.job.exec.ShardWriteTask;
import org.nowag.job.plan.CompressionPlan;
import org.nowag.job.plan.Planner;
import org.nowag.job.plan.RowBlock;
import org.nowag.job.plan.TargetTensor;
import org.nowag.job.spark.HadoopConfBytes;
import org.nowag.kernels.norm.NoWagNormalizer;

/**
 * The compress job: plan on the driver from headers, prune row blocks on executors into committed parts, write the
 * output shards on executors, then publish index, config, report and _SUCCESS. Resumes from committed parts.
 */
public final class Compressor {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final JavaSparkContext spark;
    private final Consumer<String> log;

    public Compressor(JavaSparkContext spark, Consumer<String> log) {
        this.spark = spark;
        this.log = log == null ? s -> { } : log;
    }

    /** Opens the model, loads statistics and plans, touching headers only (no Spark needed). */
    public static PlannedRun plan(CompressOptions opts, Configuration conf) throws IOException {
        opts.validate();
        ModelDirectory model = ModelDirectory.open(opts.model(), conf);
        CalibrationStats stats = opts.calibration() == null ? null : CalibrationStats.load(opts.calibration(), conf);
        CompressionPlan plan = Planner.plan(model, opts, stats);
        return new PlannedRun(model, stats, plan);
    }

    public CompressionReport run(CompressOptions opts) throws IOException {
        if (opts.method() == CompressionMethod.NOWAG_VQ) {
            return new VqCompressor(spark, log).run(opts);  // whole-matrix codebooks: its own plan and parts
        }
        long started = System.nanoTime();
        PlannedRun planned = plan(opts, spark.hadoopConfiguration());
        CompressionPlan plan = planned.plan;
        Configuration conf = spark.hadoopConfiguration();
        Path outPath = new Path(opts.out());
        FileSystem outFs = outPath.getFileSystem(conf);
        outPath = outFs.makeQualified(outPath);
        checkNotInside(planned.model.root(), outPath);
        OutputLayout out = new OutputLayout(outFs, outPath);

        OutputLayout.State state = out.state(plan.fingerprint);
        switch (state) {
            case COMPLETE:
                log.accept("output " + outPath + " is already complete for these arguments; nothing to do");
                CompressionReport done = CompressionReport.fromJson(out.readText(out.report()));
                done.alreadyComplete = true;
                done.kernelTasksRun = 0;
                done.partsReused = plan.blockCount();
                done.shardsWritten = 0;
                return done;
            case CONFLICT:
                throw new IllegalArgumentException("output directory " + outPath + " is not empty and holds no run "
                        + "with these arguments; choose another --out or remove it");
            case RESUME:
                log.accept("resuming the run staged in " + out.staging());
                break;
            default:
                out.begin(plan.fingerprint);
        }
        log.accept(String.format("plan: %d tensors to compress in %d row blocks (largest block %.1f MiB as float32), "
                        + "%d tensors copied, %d output shards", plan.targets.size(), plan.blockCount(),
                plan.largestBlockBytes / 1048576.0, plan.sourceShards.size() - plan.targets.size(),
                plan.outputLayout.shardCount()));

        Broadcast<byte[]> confBytes = spark.broadcast(HadoopConfBytes.toBytes(conf));
        Set<Path> committed = out.committedParts();
        List<PruneTask> todo = new ArrayList<>();
        List<PartSummary> reused = new ArrayList<>();
        Map<String, float[]> colNorms = columnNormsForMissingBlocks(plan, out, committed, confBytes);
        for (TargetTensor t : plan.targets) {
            float[] s = planned.stats == null ? null : planned.stats.diagonal(t.name());
            for (RowBlock b : t.blocks) {
                Path part = out.part(t.name(), b.blockIndex, b.blockCount);
                if (out.isCommitted(committed, part)) {
                    reused.add(PruneTask.readSummary(outFs, part));
                } else {
                    todo.add(new PruneTask(b, opts.method(), opts.pattern(), colNorms.get(t.name()), s, part.toString()));
                }
            }
        }
        log.accept(String.format("compress: %d blocks to run, %d already committed", todo.size(), reused.size()));
        List<PartSummary> ran = todo.isEmpty() ? List.of() : runStage("nowag compress: " + opts.method() + " on "
                + todo.size() + " blocks", todo, (PruneTask task, byte[] c) -> task.run(HadoopConfBytes.fromBytes(c)), confBytes);
        if (opts.failAfterParts()) {
            throw new IllegalStateException("stopped after committing every part (fault injection for tests)");
        }

        int shardsWritten = writeShards(plan, out, confBytes);
        CompressionReport report = report(opts, planned, ran, reused, outPath);
        report.shardsWritten = shardsWritten;
        publish(planned, plan, out, report, opts);
        report.wallSeconds = (System.nanoTime() - started) / 1e9;
        out.writeText(out.report(), report.toJson());
        out.writeText(out.successMarker(), plan.fingerprint);
        outFs.delete(out.staging(), true);
        log.accept("wrote " + outPath + " (report: " + out.report() + ")");
        return report;
    }

    /** A function a Spark task runs with the broadcast Hadoop configuration. */
    interface ConfTask<T, R> extends org.apache.spark.api.java.function.Function2<T, byte[], R> { }

    private <T, R> List<R> runStage(String description, List<T> tasks, ConfTask<T, R> fn, Broadcast<byte[]> conf) {
        spark.setJobDescription(description);
        log.accept(description);
        try {
            return spark.parallelize(tasks, tasks.size()).map(t -> fn.call(t, conf.value())).collect();
        } finally {
            spark.setJobDescription(null);
        }
    }

    /** Tensors split in several blocks need the column norms of all rows before any block is pruned. */
    private Map<String, float[]> columnNormsForMissingBlocks(CompressionPlan plan, OutputLayout out, Set<Path> committed,
                                                             Broadcast<byte[]> conf) {
        List<ColumnStatsTask> tasks = new ArrayList<>();
        for (TargetTensor t : plan.targets) {
            if (t.blocks.size() < 2) continue;
            boolean missing = t.blocks.stream().anyMatch(b ->
                    !out.isCommitted(committed, out.part(t.name(), b.blockIndex, b.blockCount)));
            if (missing) t.blocks.forEach(b -> tasks.add(new ColumnStatsTask(b)));
        }
        Map<String, float[]> norms = new HashMap<>();
        if (tasks.isEmpty()) return norms;
        List<double[]> sums = runStage("nowag column norms: " + tasks.size() + " blocks", tasks,
                (ColumnStatsTask task, byte[] c) -> task.run(HadoopConfBytes.fromBytes(c)), conf);
        Map<String, double[]> total = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {  // block order: the same sums on every run
            String name = tasks.get(i).block.tensor.name();
            double[] s = sums.get(i);
            double[] acc = total.get(name);
            if (acc == null) {
                total.put(name, s.clone());
            } else {
                for (int j = 0; j < s.length; j++) acc[j] += s[j];
            }
        }
        total.forEach((name, s) -> norms.put(name, NoWagNormalizer.columnNorms(s)));
        return norms;
    }

    private int writeShards(CompressionPlan plan, OutputLayout out, Broadcast<byte[]> conf) throws IOException {
        ShardLayout layout = plan.outputLayout;
        List<ShardWriteTask> tasks = new ArrayList<>();
        Map<String, String> metadata = Map.of("format", "pt");
        for (int i = 0; i < layout.shardCount(); i++) {
            Path staged = out.stagedShard(layout.shardName(i));
            if (out.fs().exists(staged) || out.fs().exists(new Path(out.root(), layout.shardName(i)))) continue;
            List<ShardSource> sources = new ArrayList<>();
            for (TensorSpec spec : layout.shardTensors(i)) {
                TargetTensor target = plan.target(spec.name());
                if (target == null) {
                    sources.add(ShardSource.copyOf(plan.sourceShards.get(spec.name())));
                } else {
                    List<String> parts = new ArrayList<>();
                    for (RowBlock b : target.blocks) parts.add(out.part(target.name(), b.blockIndex, b.blockCount).toString());
                    sources.add(ShardSource.fromParts(parts));
                }
            }
            tasks.add(new ShardWriteTask(staged.toString(), layout.shardTensors(i), sources, metadata));
        }
        if (!tasks.isEmpty()) {
            runStage("nowag write shards: " + tasks.size(), tasks,
                    (ShardWriteTask task, byte[] c) -> task.run(HadoopConfBytes.fromBytes(c)), conf);
        }
        return tasks.size();
    }

    private void publish(PlannedRun planned, CompressionPlan plan, OutputLayout out, CompressionReport report,
                         CompressOptions opts) throws IOException {
        FileSystem fs = out.fs();
        ShardLayout layout = plan.outputLayout;
        for (int i = 0; i < layout.shardCount(); i++) {
            Path staged = out.stagedShard(layout.shardName(i));
            Path dest = new Path(out.root(), layout.shardName(i));
            if (fs.exists(staged) && !fs.exists(dest) && !fs.rename(staged, dest)) {
                throw new IOException("could not move " + staged + " to " + dest);
            }
        }
        if (layout.shardCount() > 1) {
            out.writeText(new Path(out.root(), "model.safetensors.index.json"), layout.indexJson());
        }
        String config = planned.model.configJson();
        if (config != null) {
            ObjectNode node = (ObjectNode) JSON.readTree(config);
            ObjectNode c = node.putObject("compression");
            c.put("tool", "nowag-spark " + Version.VERSION);
            c.put("method", opts.method().cliName());
            c.put("pattern", opts.pattern().toString());
            c.put("calibration", report.calibration);
            c.put("tensors_compressed", report.tensorsCompressed);
            c.put("overall_sparsity", report.overallSparsity);
            out.writeText(new Path(out.root(), "config.json"), JSON.writeValueAsString(node));
        }
        for (Path other : planned.model.otherFiles()) {
            Path dest = new Path(out.root(), other.getName());
            FileUtil.copy(planned.model.fileSystem(), other, fs, dest, false, true, spark.hadoopConfiguration());
        }
    }

    private CompressionReport report(CompressOptions opts, PlannedRun planned, List<PartSummary> ran,
                                     List<PartSummary> reused, Path outPath) {
        CompressionPlan plan = planned.plan;
        CompressionReport r = new CompressionReport();
        r.model = planned.model.root().toString();
        r.output = outPath.toString();
        r.method = opts.method().cliName();
        r.pattern = opts.pattern().toString();
        r.dataFree = planned.stats == null;
        r.calibration = r.dataFree ? "none (data-free: every input weighted 1)" : planned.stats.source();
        r.fingerprint = plan.fingerprint;
        r.sparkMaster = spark.master();
        r.tensorsCompressed = plan.targets.size();
        r.tensorsCopied = plan.sourceShards.size() - plan.targets.size();
        r.kernelTasksRun = ran.size();
        r.partsReused = reused.size();
        Map<String, List<PartSummary>> byTensor = new HashMap<>();
        for (PartSummary s : ran) byTensor.computeIfAbsent(s.tensor, k -> new ArrayList<>()).add(s);
        for (PartSummary s : reused) byTensor.computeIfAbsent(s.tensor, k -> new ArrayList<>()).add(s);
        long kept = 0;
        long total = 0;
        for (TargetTensor t : plan.targets) {
            TensorReport tr = TensorReports.of(t, opts, byTensor.getOrDefault(t.name(), List.of()));
            r.tensors.add(tr);
            kept += tr.kept;
            total += tr.numel;
            r.totalProxyLoss += tr.proxyLoss;
            r.totalProxyEnergy += tr.proxyEnergy;
        }
        r.overallSparsity = total == 0 ? 0 : 1.0 - (double) kept / total;
        return r;
    }

    /** Refuses to write into the model's own directory (or to put the model inside the output). */
    static void checkNotInside(Path model, Path out) {
        String m = Path.getPathWithoutSchemeAndAuthority(model).toString();
        String o = Path.getPathWithoutSchemeAndAuthority(out).toString();
        boolean sameStore = model.toUri().getScheme() == null || out.toUri().getScheme() == null
                || (model.toUri().getScheme().equals(out.toUri().getScheme())
                && java.util.Objects.equals(model.toUri().getAuthority(), out.toUri().getAuthority()));
        if (sameStore && (o.equals(m) || o.startsWith(m + "/") || m.startsWith(o + "/"))) {
            throw new IllegalArgumentException("output path " + out + " overlaps the input model " + model
                    + "; write the compressed model to a separate directory");
        }
    }

    /** The result of planning: the opened model, its statistics, and the plan. */
    public static final class PlannedRun {
        public final ModelDirectory model;
        public final CalibrationStats stats;
        public final CompressionPlan plan;

        PlannedRun(ModelDirectory model, CalibrationStats stats, CompressionPlan plan) {
            this.model = model;
            this.stats = stats;
            this.plan = plan;
        }
    }
}
