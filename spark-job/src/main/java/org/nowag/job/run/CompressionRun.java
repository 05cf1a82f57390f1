package org.nowag.job.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.model.ModelFingerprint;
import org.nowag.io.model.ShardLayout;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.io.model.OutputFiles;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.budget.BudgetPlanner;
import org.nowag.job.calib.CalibrationStats;
import org.nowag.job.commit.OutputClaim;
import org.nowag.job.commit.OutputLayout;
import org.nowag.job.commit.ShardRecord;
import org.nowag.job.exec.ShardTask;
import org.nowag.job.method.MethodPlugin;
import org.nowag.job.method.Preparation;
import org.nowag.job.method.TensorWork;
import org.nowag.job.plan.CompressionPlan;
import org.nowag.job.plan.Planner;
import org.nowag.job.plan.Recipe;
import org.nowag.job.plan.TargetTensor;
import org.nowag.job.report.Invocation;
import org.nowag.job.report.PhaseClock;
import org.nowag.job.spark.HadoopConfBytes;

/**
 * The one compression run, the same for every method: plan (driver, headers only) -> claim the output -> resume
 * check -> the methods' preparation -> one task per output shard, which computes its tensors and writes the shard
 * once, committed with its record -> index, config.json, other files -> report.json and report.html ->
 * _MANIFEST.json -> _SUCCESS. What differs between methods is in their plug-ins ({@link MethodPlugin}).
 */
public final class CompressionRun {
    private final JavaSparkContext spark;
    private final Consumer<String> log;

    public CompressionRun(JavaSparkContext spark, Consumer<String> log) {
        this.spark = spark;
        this.log = log == null ? s -> { } : log;
    }

    /** The result of planning: the opened model, its statistics, and the plan. */
    public static final class Planned {
        public final ModelDirectory model;
        public final CalibrationStats stats;
        public final CompressionPlan plan;
        /** The recipe the plan follows (with a budget: its per-tensor settings). */
        public final Recipe recipe;
        /** The budget's allocation for report.json (null: no budget). */
        public final ObjectNode budget;

        Planned(ModelDirectory model, CalibrationStats stats, CompressionPlan plan, Recipe recipe, ObjectNode budget) {
            this.model = model;
            this.stats = stats;
            this.plan = plan;
            this.recipe = recipe;
            this.budget = budget;
        }
    }

    /** Opens the model, loads statistics and plans, touching headers only (no Spark needed). */
    public static Planned plan(Recipe recipe, CompressOptions opts, Configuration conf) throws IOException {
        opts.validate();
        ModelDirectory model = ModelDirectory.open(opts.model(), conf);
        CalibrationStats stats = opts.calibration() == null ? null : CalibrationStats.load(opts.calibration(), conf);
        Planned planned = new Planned(model, stats, Planner.plan(model, recipe, opts, stats, conf), recipe, null);
        BudgetPlanner.check(recipe, planned.plan);
        return planned;
    }

    /**
     * A budget's allocation (the recipe with its per-tensor settings): the matrices' loss curves computed on the
     * executors (one task per matrix), the choice on the driver. Writes nothing.
     */
    public BudgetPlanner.Outcome allocate(Recipe recipe, CompressOptions opts) throws IOException {
        Planned uniform = plan(recipe, opts, spark.hadoopConfiguration());
        Broadcast<byte[]> confBytes = spark.broadcast(HadoopConfBytes.toBytes(spark.hadoopConfiguration()));
        Stages stages = new Stages(spark, confBytes, log);
        return BudgetPlanner.allocate(recipe, uniform.plan, uniform.stats, stages::run, log);
    }

    public CompressionReport run(Recipe recipe, CompressOptions opts) throws IOException {
        long started = System.nanoTime();
        PhaseClock clock = new PhaseClock();
        clock.begin("plan");
        Configuration conf = spark.hadoopConfiguration();
        Planned planned = plan(recipe, opts, conf);
        if (recipe.budget() != null) {
            // The budget's settings are part of the plan (and of its fingerprint): allocate first, then plan them.
            BudgetPlanner.Outcome b = allocate(recipe, opts);
            Planned allocated = plan(b.recipe, opts, conf);
            planned = new Planned(allocated.model, allocated.stats, allocated.plan, allocated.recipe, b.report);
        }
        CompressionPlan plan = planned.plan;
        Path outPath = new Path(opts.out());
        FileSystem outFs = outPath.getFileSystem(conf);
        outPath = outFs.makeQualified(outPath);
        checkNotInside(planned.model.root(), outPath);
        OutputLayout out = new OutputLayout(outFs, outPath);

        // Read-only first: a finished output is answered, someone else's refused, before anything is written.
        CompressionReport done = finishedOrRefused(out, out.state(plan.fingerprint), plan);
        if (done != null) return done;
        try (OutputClaim claim = OutputClaim.acquire(out, conf, log)) {
            OutputLayout.State state = out.state(plan.fingerprint);  // again, now that no other run can change it
            done = finishedOrRefused(out, state, plan);
            if (done != null) {
                claim.release();
                removeStaging(out, null);  // the claim this run left in a finished output
                return done;
            }
            boolean fresh = state == OutputLayout.State.FRESH;
            if (fresh) {
                try {
                    out.begin(plan.fingerprint);
                } catch (IOException | RuntimeException e) {
                    deleteCreated(out, e);  // nothing of this run is committed yet: leave no output directory behind
                    throw e;
                }
            } else {
                log.accept("resuming the run staged in " + out.staging());
            }
            try {
                return execute(planned, opts, out, claim, started, clock);
            } catch (NonFiniteRefusal e) {
                if (fresh) deleteCreated(out, e);  // nothing of a refused run is kept
                throw new IllegalArgumentException(e.getMessage());
            }
        }
    }

    /** COMPLETE: the stored report; CONFLICT: refused; otherwise null (the run goes on). */
    private CompressionReport finishedOrRefused(OutputLayout out, OutputLayout.State state, CompressionPlan plan)
            throws IOException {
        if (state == OutputLayout.State.CONFLICT) {
            throw new IllegalArgumentException("output directory " + out.root() + " is not empty and holds no run "
                    + "with these arguments; choose another --out or remove it");
        }
        if (state != OutputLayout.State.COMPLETE) return null;
        log.accept("output " + out.root() + " is already complete for these arguments; nothing to do");
        CompressionReport done = CompressionReport.fromJson(out.readText(out.report()));
        done.alreadyComplete = true;
        done.kernelTasksRun = 0;
        done.partsReused = plan.blockCount();
        done.shardsWritten = 0;
        done.shardsReused = plan.outputLayout.shardCount();
        done.arrowPartFilesWritten = 0;
        return done;
    }

    private CompressionReport execute(Planned planned, CompressOptions opts, OutputLayout out, OutputClaim claim,
                                      long started, PhaseClock clock) throws IOException {
        CompressionPlan plan = planned.plan;
        ShardLayout layout = plan.outputLayout;
        Map<String, ShardRecord> reused = out.committedShards();
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < layout.shardCount(); i++) {
            if (!reused.containsKey(layout.shardName(i))) todo.add(i);
        }
        Map<String, String> nonFinite = new LinkedHashMap<>();
        for (ShardRecord r : reused.values()) nonFinite.putAll(r.skippedNonFinite);
        log.accept(String.format("plan: %d tensors to compress (%s) in %d row blocks (largest %.1f MiB as float32), "
                        + "%d tensors copied, %d output shards (%d to write, %d committed)", plan.targets.size(),
                methods(plan), plan.blockCount(), plan.largestBlockBytes / 1048576.0,
                plan.inputs.size() - plan.targets.size(), layout.shardCount(), todo.size(), reused.size()));

        Broadcast<byte[]> confBytes = spark.broadcast(HadoopConfBytes.toBytes(spark.hadoopConfiguration()));
        Stages stages = new Stages(spark, confBytes, log);
        clock.begin("prepare");
        Map<String, Serializable> prepared = prepare(planned, out, todo, stages, confBytes, nonFinite);
        if (!nonFinite.isEmpty() && !opts.skipNonFinite()) throw refusal(planned, nonFinite);

        // Largest task first (longest-processing-time order): with more tasks than slots, the last round then holds the
        // short tasks, not a long one with the other slots idle. Spark starts a stage's tasks in partition order.
        todo.sort(java.util.Comparator.comparingLong((Integer i) -> plan.shardWork(i)).reversed());
        Map<Integer, ShardRecord> byShard = new java.util.TreeMap<>();  // records in shard order, whatever the task order
        clock.begin("compress and write shards");
        while (!todo.isEmpty()) {
            List<ShardTask> tasks = new ArrayList<>();
            for (int i : todo) tasks.add(shardTask(planned, out, i, prepared, nonFinite));
            List<ShardRecord> results = stages.run("nowag compress: " + tasks.size() + " shard(s), " + methods(plan),
                    tasks, (ShardTask task, Configuration c) -> task.run(c));
            List<Integer> again = new ArrayList<>();
            for (int k = 0; k < results.size(); k++) {
                ShardRecord r = results.get(k);
                if (r.nonFiniteTensor == null) {
                    byShard.put(todo.get(k), r);
                } else {
                    nonFinite.put(r.nonFiniteTensor, r.nonFiniteWhy);
                    again.add(todo.get(k));
                }
            }
            if (!again.isEmpty() && !opts.skipNonFinite()) throw refusal(planned, nonFinite);
            todo = again;  // each round copies at least one more tensor unchanged, so this ends
        }
        Map<String, ShardRecord> written = new LinkedHashMap<>();
        for (ShardRecord r : byShard.values()) written.put(r.shard, r);
        if (opts.failAfterParts()) {
            throw new IllegalStateException("stopped after committing every shard (fault injection for tests)");
        }
        claim.check();
        clock.begin("publish");
        CompressionReport report = RunReports.build(planned, opts, spark.master(), out.root(), reused, written, nonFinite);
        report.commandLine = Invocation.commandLine();
        report.include = opts.include();
        report.started = clock.started();
        report.inputFingerprint = ModelFingerprint.ofInput(planned.model);
        for (Map.Entry<String, String> e : nonFinite.entrySet()) {
            log.accept("warning: " + e.getKey() + " holds NaN or infinite weights (" + e.getValue() + "); copied unchanged");
        }
        new Publisher(out, planned, new OutputFiles(opts.keepFiles())).publish(report, finalLayout(planned, nonFinite), all(reused, written), started,
                clock);
        claim.release();
        removeStaging(out, null);
        log.accept("wrote " + out.root() + " (report: " + out.report() + ")");
        return report;
    }

    /** Each method's preparation, for its tensors in shards still to write. */
    private Map<String, Serializable> prepare(Planned planned, OutputLayout out, List<Integer> todo, Stages stages,
                                              Broadcast<byte[]> confBytes, Map<String, String> nonFinite)
            throws IOException {
        Map<String, List<TargetTensor>> byMethod = new LinkedHashMap<>();
        for (int i : todo) {
            for (String name : planned.plan.shardInputs.get(i)) {
                TargetTensor t = planned.plan.target(name);
                if (t != null) byMethod.computeIfAbsent(t.method.name(), k -> new ArrayList<>()).add(t);
            }
        }
        Map<String, Serializable> prepared = new HashMap<>();
        Preparation prep = new Preparation() {
            @Override public JavaSparkContext spark() { return spark; }
            @Override public Broadcast<byte[]> confBytes() { return confBytes; }
            @Override public Consumer<String> log() { return log; }
            @Override public <T, R> List<R> runStage(String description, List<T> tasks, ConfTask<T, R> fn)
                    throws IOException {
                return stages.run(description, tasks, fn);
            }
            @Override public float[] activations(TargetTensor t) { return activationsOf(planned, t); }
            @Override public Path scratch(String purpose, TargetTensor t) {
                return new Path(new Path(out.scratchDir(), purpose), OutputLayout.encode(t.name()));
            }
            @Override public void nonFinite(String tensor, String why) { nonFinite.putIfAbsent(tensor, why); }
            @Override public void prepared(String tensor, Serializable data) { prepared.put(tensor, data); }
        };
        for (List<TargetTensor> mine : byMethod.values()) mine.get(0).method.prepare(mine, prep);
        return prepared;
    }

    private ShardTask shardTask(Planned planned, OutputLayout out, int shard, Map<String, Serializable> prepared,
                                Map<String, String> nonFinite) {
        CompressionPlan plan = planned.plan;
        String name = plan.outputLayout.shardName(shard);
        List<TensorSpec> specs = new ArrayList<>();
        List<ShardTask.Entry> entries = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        boolean parts = false;
        for (String tensor : plan.shardInputs.get(shard)) {
            TargetTensor t = plan.target(tensor);
            if (t == null || nonFinite.containsKey(tensor)) {
                TensorSpec spec = TargetTensor.sameAs(info(plan, tensor));
                specs.add(spec);
                entries.add(ShardTask.Entry.copy(plan.sourceShards.get(tensor), spec));
                if (t != null) skipped.put(tensor, nonFinite.get(tensor));
                continue;
            }
            specs.addAll(t.outputs);
            for (TensorSpec s : t.outputs) parts |= t.method.isPart(s.name());
            entries.add(ShardTask.Entry.compute(new TensorWork(t, activationsOf(planned, t), prepared.get(tensor))));
        }
        String arrow = parts ? new Path(out.root(), Publisher.arrowFileFor(name)).toString() : null;
        return new ShardTask(new Path(out.root(), name).toString(), arrow, out.record(name).toString(), specs, entries,
                skipped);
    }

    /** The shards as written: a tensor copied unchanged because of NaN/Inf keeps its input spec. */
    static ShardLayout finalLayout(Planned planned, Map<String, String> nonFinite) {
        CompressionPlan plan = planned.plan;
        List<List<TensorSpec>> groups = new ArrayList<>();
        for (List<String> g : plan.shardInputs) {
            List<TensorSpec> specs = new ArrayList<>();
            for (String tensor : g) {
                TargetTensor t = plan.target(tensor);
                if (t == null || nonFinite.containsKey(tensor)) {
                    specs.add(TargetTensor.sameAs(info(plan, tensor)));
                } else {
                    specs.addAll(t.outputs);
                }
            }
            groups.add(specs);
        }
        return ShardLayout.ofGroups(groups);
    }

    private static Map<String, ShardRecord> all(Map<String, ShardRecord> a, Map<String, ShardRecord> b) {
        Map<String, ShardRecord> m = new LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }

    private static TensorInfo info(CompressionPlan plan, String tensor) {
        TensorInfo t = plan.input(tensor);
        if (t == null) throw new IllegalStateException("no input tensor " + tensor);
        return t;
    }

    private static float[] activationsOf(Planned planned, TargetTensor t) {
        return planned.stats == null ? null : planned.stats.diagonal(t.name());
    }

    private static String methods(CompressionPlan plan) {
        Set<String> names = new LinkedHashSet<>();
        for (TargetTensor t : plan.targets) names.add(t.method.name() + " " + t.params.describe());
        return names.isEmpty() ? "no tensors" : String.join(", ", names);
    }

    /** Thrown inside the run so that a fresh output can be removed before the user sees the message. */
    private static final class NonFiniteRefusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NonFiniteRefusal(String message) { super(message); }
    }

    private static NonFiniteRefusal refusal(Planned planned, Map<String, String> nonFinite) {
        StringBuilder m = new StringBuilder("model " + planned.model.root() + ": " + nonFinite.size()
                + " tensor(s) hold NaN or infinite weights, which no method can rank:");
        nonFinite.forEach((name, why) -> m.append("\n  ").append(name).append(": ").append(why));
        m.append("\nfix the model, or pass --skip-nonfinite to copy such tensors unchanged (the report lists them)");
        return new NonFiniteRefusal(m.toString());
    }

    /** Removes the output directory this run created (it holds the claim, so nobody else writes there). */
    private static void deleteCreated(OutputLayout out, Throwable cause) {
        try {
            out.fs().delete(out.root(), true);
        } catch (IOException cleanup) {
            cause.addSuppressed(cleanup);
        }
    }

    /**
     * Removes _staging after publishing: everything but the claims first, then the claims directory and _staging
     * only if they are empty (a run that arrives now keeps its claim, sees _SUCCESS and leaves).
     */
    public static void removeStaging(OutputLayout out, Throwable cause) {
        FileSystem fs = out.fs();
        try {
            if (!fs.exists(out.staging())) return;
            for (var st : fs.listStatus(out.staging())) {
                if (!st.getPath().getName().equals(out.claimsDir().getName())) fs.delete(st.getPath(), true);
            }
            for (Path dir : new Path[] {out.claimsDir(), out.staging()}) {
                try {
                    if (fs.exists(dir) && fs.listStatus(dir).length == 0) fs.delete(dir, false);
                } catch (IOException notEmpty) {
                    // another run's claim appeared: it is that run's to remove
                }
            }
        } catch (IOException e) {
            if (cause != null) cause.addSuppressed(e);
        }
    }

    /** Refuses to write into the model's own directory (or to put the model inside the output). */
    public static void checkNotInside(Path model, Path out) {
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
}
