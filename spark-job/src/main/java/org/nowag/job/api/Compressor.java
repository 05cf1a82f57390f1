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
import org.nowag.job.calib.FullGramFile;
import org.nowag.io.fs.AtomicFiles;
import org.nowag.io.fs.FileDigest;
import org.nowag.job.commit.OutputLayout;
import org.nowag.job.commit.OutputManifest;
import org.nowag.job.exec.DigestTask;
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
import org.nowag.kernels.prune.SparsityPattern;

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
        String fullGram = opts.method() == CompressionMethod.SPARSEGPT
                ? FullGramFile.locate(opts.method().cliName(), opts.calibration(), conf) : null;
        CompressionPlan plan = Planner.plan(model, opts, stats);
        if (fullGram != null) plan = SparseGptPlans.withFullGram(plan, fullGram, conf);
        return new PlannedRun(model, stats, plan);
    }

    public CompressionReport run(CompressOptions opts) throws IOException {
        if (opts.method() == CompressionMethod.NOWAG_VQ) {
            return new VqCompressor(spark, log).run(opts);  // whole-matrix codebooks: its own plan and parts
        }
        if (opts.method() == CompressionMethod.ARMOR) {
            return new ArmorCompressor(spark, log).run(opts);  // whole-matrix factorization: its own parts
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
        CompressionReport done = RunStart.begin(out, state, plan.fingerprint, plan.blockCount(), log);
        if (done != null) return done;
        log.accept(String.format("plan: %d tensors to compress in %d row blocks (largest block %.1f MiB as float32), "
                        + "%d tensors copied, %d output shards", plan.targets.size(), plan.blockCount(),
                plan.largestBlockBytes / 1048576.0, plan.sourceShards.size() - plan.targets.size(),
                plan.outputLayout.shardCount()));

        Broadcast<byte[]> confBytes = spark.broadcast(HadoopConfBytes.toBytes(conf));
        Set<Path> committed = out.committedParts();
        String fullGram = opts.method() == CompressionMethod.SPARSEGPT
                ? FullGramFile.locate(opts.method().cliName(), opts.calibration(), conf) : null;
        List<PruneTask> todo = new ArrayList<>();
        List<PartSummary> reused = new ArrayList<>();
        Map<String, String> nonFinite = new LinkedHashMap<>();
        Map<String, float[]> colNorms = columnNormsForMissingBlocks(plan, out, committed, confBytes, nonFinite);
        Map<String, WholeMatrixThresholds.Quotas> thresholds = wholeMatrixThresholds(plan, opts, planned.stats,
                colNorms, nonFinite.keySet(), confBytes);
        for (TargetTensor t : plan.targets) {
            if (nonFinite.containsKey(t.name())) continue;
            float[] s = planned.stats == null ? null : planned.stats.diagonal(t.name());
            WholeMatrixThresholds.Quotas q = thresholds.get(t.name());
            for (RowBlock b : t.blocks) {
                Path part = out.part(t.name(), b.blockIndex, b.blockCount);
                if (out.isCommitted(committed, part)) {
                    reused.add(PruneTask.readSummary(outFs, part));
                } else {
                    PruneTask task = new PruneTask(b, opts.method(), opts.pattern(), colNorms.get(t.name()), s, part.toString());
                    if (fullGram != null) task = task.withFullGram(fullGram);
                    todo.add(q == null ? task : task.withThreshold(q.key, q.perBlock[b.blockIndex]));
                }
            }
        }
        log.accept(String.format("compress: %d blocks to run, %d already committed", todo.size(), reused.size()));
        List<PartSummary> ran = todo.isEmpty() ? List.of() : runStage("nowag compress: " + opts.method() + " on "
                + todo.size() + " blocks", todo, (PruneTask task, byte[] c) -> task.run(HadoopConfBytes.fromBytes(c)), confBytes);
        ran = new ArrayList<>(ran);
        for (java.util.Iterator<PartSummary> it = ran.iterator(); it.hasNext(); ) {
            PartSummary p = it.next();
            if (!p.nonFinite) continue;
            it.remove();
            long cols = plan.target(p.tensor).info.cols();
            nonFinite.putIfAbsent(p.tensor, "weight [" + p.badIndex / cols + ", " + p.badIndex % cols + "] is " + p.badValue);
        }
        if (!nonFinite.isEmpty() && !opts.skipNonFinite()) {
            if (state == OutputLayout.State.FRESH) outFs.delete(outPath, true);  // nothing of this run is kept
            StringBuilder m = new StringBuilder("model " + planned.model.root() + ": " + nonFinite.size()
                    + " tensor(s) hold NaN or infinite weights, which no method can rank:");
            nonFinite.forEach((name, why) -> m.append("\n  ").append(name).append(": ").append(why));
            m.append("\nfix the model, or pass --skip-nonfinite to copy such tensors unchanged (the report lists them)");
            throw new IllegalArgumentException(m.toString());
        }
        if (opts.failAfterParts()) {
            throw new IllegalStateException("stopped after committing every part (fault injection for tests)");
        }

        Map<String, FileDigest> shardDigests = writeShards(plan, out, confBytes, nonFinite.keySet());
        CompressionReport report = report(opts, planned, ran, reused, outPath, nonFinite.keySet());
        nonFinite.forEach((name, why) -> {
            report.skippedNonFinite.add(name);
            report.warnings.add(name + " holds NaN or infinite weights (" + why + "); copied unchanged, not compressed");
            log.accept("warning: " + name + " holds NaN or infinite weights (" + why + "); copied unchanged");
        });
        report.shardsWritten = shardsWritten(shardDigests);
        List<String> published = publish(planned, plan, out, report, opts);
        report.wallSeconds = (System.nanoTime() - started) / 1e9;
        out.writeText(out.report(), report.toJson());
        out.writeText(new Path(out.root(), "report.html"), org.nowag.job.report.HtmlReport.render(report));
        published.add(out.report().getName());
        published.add("report.html");
        // The manifest, then _SUCCESS, last: a reader that sees _SUCCESS finds a complete manifest beside it.
        out.writeText(out.manifest(), OutputManifest.toJson(plan.fingerprint,
                digests(plan, out, published, shardDigests, confBytes)));
        out.deleteTempLeftovers();
        out.writeText(out.successMarker(), plan.fingerprint);
        outFs.delete(out.staging(), true);
        log.accept("wrote " + outPath + " (report: " + out.report() + ")");
        return report;
    }

    /** A function a Spark task runs with the broadcast Hadoop configuration. */
    interface ConfTask<T, R> extends org.apache.spark.api.java.function.Function2<T, byte[], R> { }

    private <T, R> List<R> runStage(String description, List<T> tasks, ConfTask<T, R> fn, Broadcast<byte[]> conf)
            throws IOException {
        spark.setJobDescription(description);
        log.accept(description);
        // Test-only: every task twice in the stage, run concurrently, both writing, as speculation would (Spark's
        // local mode never speculates, so this is how the tests get duplicate attempts on one machine).
        boolean twice = Boolean.getBoolean("nowag.fault.duplicateTasks");
        List<T> submitted = tasks;
        if (twice) {
            submitted = new ArrayList<>();
            for (T t : tasks) {
                submitted.add(t);
                submitted.add(t);
            }
        }
        try {
            List<R> results = spark.parallelize(submitted, submitted.size()).map(t -> fn.call(t, conf.value())).collect();
            if (!twice) return results;
            List<R> firsts = new ArrayList<>();
            for (int i = 0; i < results.size(); i += 2) firsts.add(results.get(i));
            return firsts;
        } catch (Exception e) {  // Scala throws the checked SparkException undeclared
            if (!(e instanceof org.apache.spark.SparkException)) throw e;
            // Spark reports the last attempt's failure inside its own text; say which stage failed and why.
            throw new IOException(description + " failed after Spark's retries: " + rootMessage(e), e);
        } finally {
            spark.setJobDescription(null);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /** Tensors split in several blocks need the column norms of all rows before any block is pruned. */
    private Map<String, float[]> columnNormsForMissingBlocks(CompressionPlan plan, OutputLayout out, Set<Path> committed,
                                                             Broadcast<byte[]> conf, Map<String, String> nonFinite)
            throws IOException {
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
        total.forEach((name, s) -> {
            for (double v : s) {
                if (!Double.isFinite(v)) {  // a NaN or infinite weight (or squares that overflow) somewhere in the tensor
                    nonFinite.put(name, "a row block holds NaN or infinite weights");
                    return;
                }
            }
            norms.put(name, NoWagNormalizer.columnNorms(s));
        });
        return norms;
    }

    /** Split tensors with a whole-matrix group need the matrix's exact threshold before any block is pruned. */
    private Map<String, WholeMatrixThresholds.Quotas> wholeMatrixThresholds(CompressionPlan plan, CompressOptions opts,
            CalibrationStats stats, Map<String, float[]> colNorms, Set<String> skipped, Broadcast<byte[]> conf) {
        SparsityPattern pattern = opts.pattern();
        if (opts.method().pruneMethod() == null || pattern.isNOfM() || pattern.group() != SparsityPattern.Group.MATRIX) {
            return Map.of();
        }
        List<TargetTensor> split = new ArrayList<>();
        Map<String, float[]> activations = new HashMap<>();
        Map<String, Long> kept = new HashMap<>();
        for (TargetTensor t : plan.targets) {
            // Whole tensors, fully committed ones and skipped non-finite ones need no threshold.
            if (t.blocks.size() < 2 || !colNorms.containsKey(t.name()) || skipped.contains(t.name())) continue;
            split.add(t);
            if (stats != null) activations.put(t.name(), stats.diagonal(t.name()));
            kept.put(t.name(), pattern.keptPerGroup(t.info.numel()));
        }
        if (split.isEmpty()) return Map.of();
        log.accept("whole-matrix threshold for " + split.size() + " tensors split in row blocks (two histogram passes)");
        return WholeMatrixThresholds.compute(spark, split, opts.method().pruneMethod(), colNorms, activations, kept, conf);
    }

    /** Shards written by this run, by name, with the digest computed while writing (resumed shards are absent). */
    private Map<String, FileDigest> writeShards(CompressionPlan plan, OutputLayout out, Broadcast<byte[]> conf,
                                                Set<String> copiedUnchanged) throws IOException {
        ShardLayout layout = plan.outputLayout;
        List<ShardWriteTask> tasks = new ArrayList<>();
        Map<String, String> metadata = Map.of("format", "pt");
        // Object stores: shards go straight to their final names (an object appears only when complete; a rename
        // would copy every byte again). Elsewhere: staged, then renamed into place on publish.
        boolean direct = AtomicFiles.writesDirectly(out.fs(), out.root());
        for (int i = 0; i < layout.shardCount(); i++) {
            Path staged = out.stagedShard(layout.shardName(i));
            Path dest = new Path(out.root(), layout.shardName(i));
            if (out.fs().exists(staged) || out.fs().exists(dest)) continue;
            List<ShardSource> sources = new ArrayList<>();
            for (TensorSpec spec : layout.shardTensors(i)) {
                TargetTensor target = plan.target(spec.name());
                if (target == null || copiedUnchanged.contains(spec.name())) {
                    sources.add(ShardSource.copyOf(plan.sourceShards.get(spec.name())));
                } else {
                    List<String> parts = new ArrayList<>();
                    for (RowBlock b : target.blocks) parts.add(out.part(target.name(), b.blockIndex, b.blockCount).toString());
                    sources.add(ShardSource.fromParts(parts));
                }
            }
            tasks.add(new ShardWriteTask((direct ? dest : staged).toString(), layout.shardTensors(i), sources, metadata));
        }
        Map<String, FileDigest> written = new LinkedHashMap<>();
        if (!tasks.isEmpty()) {
            for (FileDigest d : runStage("nowag write shards: " + tasks.size(), tasks,
                    (ShardWriteTask task, byte[] c) -> task.run(HadoopConfBytes.fromBytes(c)), conf)) {
                written.put(d.name, d);
            }
        }
        return written;
    }

    private static int shardsWritten(Map<String, FileDigest> digests) { return digests.size(); }

    /**
     * Size and SHA-256 of every published file: shards from their writers, shards of an interrupted earlier run
     * hashed on executors (they are large), small files on the driver.
     */
    private List<FileDigest> digests(CompressionPlan plan, OutputLayout out, List<String> published,
                                     Map<String, FileDigest> shardDigests, Broadcast<byte[]> conf) throws IOException {
        List<FileDigest> all = new ArrayList<>();
        List<DigestTask> missing = new ArrayList<>();
        for (int i = 0; i < plan.outputLayout.shardCount(); i++) {
            String name = plan.outputLayout.shardName(i);
            FileDigest d = shardDigests.get(name);
            if (d != null) {
                all.add(d);
            } else {
                missing.add(new DigestTask(new Path(out.root(), name).toString()));
            }
        }
        if (!missing.isEmpty()) {
            all.addAll(runStage("nowag checksum shards of an earlier run: " + missing.size(), missing,
                    (DigestTask task, byte[] c) -> task.run(HadoopConfBytes.fromBytes(c)), conf));
        }
        for (String name : published) all.add(FileDigest.of(out.fs(), new Path(out.root(), name)));
        return all;
    }

    /** Moves staged shards into place and writes the small files; returns the small files' names. */
    private List<String> publish(PlannedRun planned, CompressionPlan plan, OutputLayout out, CompressionReport report,
                                 CompressOptions opts) throws IOException {
        List<String> small = new ArrayList<>();
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
            out.writeText(new Path(out.root(), ShardLayout.INDEX_FILE), layout.indexJson());
            small.add(ShardLayout.INDEX_FILE);
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
            out.writeText(new Path(out.root(), ModelDirectory.CONFIG_FILE), JSON.writeValueAsString(node));
            small.add(ModelDirectory.CONFIG_FILE);
        }
        for (Path other : planned.model.otherFiles()) {
            Path dest = new Path(out.root(), other.getName());
            FileUtil.copy(planned.model.fileSystem(), other, fs, dest, false, true, spark.hadoopConfiguration());
            small.add(other.getName());
        }
        return small;
    }

    private CompressionReport report(CompressOptions opts, PlannedRun planned, List<PartSummary> ran,
                                     List<PartSummary> reused, Path outPath, Set<String> skipped) {
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
        r.tensorsCompressed = plan.targets.size() - skipped.size();
        r.tensorsCopied = plan.sourceShards.size() - r.tensorsCompressed;
        r.kernelTasksRun = ran.size();
        r.partsReused = reused.size();
        Map<String, List<PartSummary>> byTensor = new HashMap<>();
        for (PartSummary s : ran) byTensor.computeIfAbsent(s.tensor, k -> new ArrayList<>()).add(s);
        for (PartSummary s : reused) byTensor.computeIfAbsent(s.tensor, k -> new ArrayList<>()).add(s);
        long kept = 0;
        long total = 0;
        for (TargetTensor t : plan.targets) {
            if (skipped.contains(t.name())) continue;
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
