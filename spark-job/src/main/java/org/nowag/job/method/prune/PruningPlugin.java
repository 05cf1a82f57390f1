package org.nowag.job.method.prune;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.TensorReport;
import org.nowag.job.method.MethodParams;
import org.nowag.job.method.MethodPlugin;
import org.nowag.job.method.PlanContext;
import org.nowag.job.method.Preparation;
import org.nowag.job.method.Reports;
import org.nowag.job.method.TensorOutput;
import org.nowag.job.method.TensorWork;
import org.nowag.job.plan.MemoryEstimate;
import org.nowag.job.plan.Planner;
import org.nowag.job.plan.RowBlock;
import org.nowag.job.plan.TargetTensor;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.nowag.kernels.prune.BlockedThreshold;
import org.nowag.kernels.prune.PruneMethod;
import org.nowag.kernels.prune.PruneResult;
import org.nowag.kernels.prune.Pruner;
import org.nowag.kernels.prune.SparsityPattern;

/**
 * NoWag-P, Wanda and magnitude pruning (one class, three kernels' scores): row blocks of at most --block-mb, each
 * pruned and written in its input dtype as the task streams the tensor into its shard. A tensor split in blocks gets
 * its column norms (and, for a whole-matrix group, its exact threshold) from passes over the blocks first.
 */
public final class PruningPlugin implements MethodPlugin {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final PruneMethod kernel;

    public PruningPlugin(String name, PruneMethod kernel) {
        this.name = name;
        this.kernel = kernel;
    }

    @Override public String name() { return name; }

    @Override public SparsityPattern defaultPattern() {
        return SparsityPattern.unstructured(0.5, kernel.defaultGroup());
    }

    @Override public MethodParams params(CompressOptions rule, PlanContext ctx) {
        return new PruneParams(kernel, rule.pattern());
    }

    @Override
    public TargetTensor plan(TensorInfo t, String shard, MethodParams params, PlanContext ctx) {
        SparsityPattern pattern = ((PruneParams) params).pattern;
        try {
            pattern.checkShape(t.rows(), t.cols());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tensor " + t.name() + " " + Planner.shapeText(t) + ": " + e.getMessage(), e);
        }
        return new TargetTensor(t, shard, this, params, Planner.rowBlocks(t, shard, ctx.blockBytes),
                List.of(TargetTensor.sameAs(t)));
    }

    /** Column norms of split tensors (NaN/Inf found here too), then whole-matrix thresholds where the group needs one. */
    @Override
    public void prepare(List<TargetTensor> todo, Preparation prep) throws IOException {
        List<ColumnStatsTask> tasks = new ArrayList<>();
        for (TargetTensor t : todo) {
            if (t.blocks.size() > 1) t.blocks.forEach(b -> tasks.add(new ColumnStatsTask(b)));
        }
        if (tasks.isEmpty()) return;
        List<double[]> sums = prep.runStage("nowag column norms: " + tasks.size() + " blocks", tasks,
                (ColumnStatsTask task, Configuration conf) -> task.run(conf));
        Map<String, double[]> total = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {  // block order: the same sums on every run
            String tensor = tasks.get(i).block.tensor.name();
            double[] s = sums.get(i);
            double[] acc = total.get(tensor);
            if (acc == null) {
                total.put(tensor, s.clone());
            } else {
                for (int j = 0; j < s.length; j++) acc[j] += s[j];
            }
        }
        Map<String, float[]> colNorms = new HashMap<>();
        total.forEach((tensor, s) -> {
            for (double v : s) {
                if (!Double.isFinite(v)) {  // a NaN or infinite weight (or squares that overflow) somewhere in the tensor
                    prep.nonFinite(tensor, "a row block holds NaN or infinite weights");
                    return;
                }
            }
            colNorms.put(tensor, NoWagNormalizer.columnNorms(s));
        });
        List<TargetTensor> split = new ArrayList<>();
        Map<String, float[]> activations = new HashMap<>();
        Map<String, Long> kept = new HashMap<>();
        for (TargetTensor t : todo) {
            SparsityPattern p = ((PruneParams) t.params).pattern;
            if (!colNorms.containsKey(t.name()) || p.isNOfM() || p.group() != SparsityPattern.Group.MATRIX) continue;
            split.add(t);
            if (prep.activations(t) != null) activations.put(t.name(), prep.activations(t));
            kept.put(t.name(), p.keptPerGroup(t.info.numel()));
        }
        Map<String, WholeMatrixThresholds.Quotas> thresholds = Map.of();
        if (!split.isEmpty()) {
            prep.log().accept("whole-matrix threshold for " + split.size() + " tensors split in row blocks (two histogram passes)");
            thresholds = WholeMatrixThresholds.compute(prep.spark(), split, kernel, colNorms, activations, kept,
                    prep.confBytes());
        }
        for (Map.Entry<String, float[]> e : colNorms.entrySet()) {
            WholeMatrixThresholds.Quotas q = thresholds.get(e.getKey());
            prep.prepared(e.getKey(), q == null ? new PrunePrepared(e.getValue(), false, 0, null)
                    : new PrunePrepared(e.getValue(), true, q.key, q.perBlock));
        }
    }

    @Override
    public TensorReport write(TensorWork work, Configuration conf, TensorOutput out) throws IOException {
        TargetTensor t = work.target;
        SparsityPattern pattern = ((PruneParams) t.params).pattern;
        PrunePrepared prep = (PrunePrepared) work.prepared;
        TensorReport r = Reports.base(t);
        OutputStream o = out.open(t.name());
        int cols = Math.toIntExact(t.info.cols());
        for (RowBlock b : t.blocks) {
            long start = System.nanoTime();
            float[] w = work.readRows(conf, b.rowStart, b.rowCount);
            float[] c = prep != null ? prep.colNorms : wholeTensorColumnNorms(w, b.rowCount, cols);
            PruneResult p = prep != null && prep.hasThreshold
                    ? Pruner.pruneAbove(kernel, w, b.rowCount, cols, c, work.activations, prep.thresholdKey,
                            prep.equalQuota[b.blockIndex])
                    : Pruner.prune(kernel, pattern, w, b.rowCount, cols, c, work.activations);
            w = null;  // the input block goes before its encoded copy is made
            int n = b.rowCount * cols;
            byte[] encoded = new byte[Math.toIntExact((long) n * t.info.dtype().bytes())];
            FloatCodec.encode(p.pruned, 0, t.info.dtype(), encoded, 0, n);
            r.seconds += (System.nanoTime() - start) / 1e9;
            o.write(encoded);
            r.numel += n;
            r.kept += p.keptCount;
            r.proxyLoss += p.proxyLoss;
            r.proxyEnergy += p.proxyEnergy;
            r.dataAwareLoss += p.dataAwareLoss;
            r.bytes += encoded.length;
        }
        finish(r, t, pattern);
        return r;
    }

    /** Sparsity, relative loss and the storage counts of a pruned tensor's report (shared with SparseGPT). */
    public static void finish(TensorReport r, TargetTensor t, SparsityPattern pattern) {
        r.sparsity = r.numel == 0 ? 0 : 1.0 - (double) r.kept / r.numel;
        r.proxyLossRelative = Reports.relative(r.proxyLoss, r.proxyEnergy);
        // NoWag reference storage count: 16 bits per row (norm) + 32 bits per kept weight (value + index).
        r.referenceBitsPerWeight = r.numel == 0 ? 0 : (16.0 * t.info.rows() + 32.0 * r.kept) / r.numel;
        if (pattern.isNOfM() && pattern.n() == 2 && pattern.m() == 4) {
            r.compact24BitsPerWeight = r.numel == 0 ? 0 : (16.0 + 2.0) * r.kept / r.numel;
        }
    }

    private static float[] wholeTensorColumnNorms(float[] w, int rows, int cols) {
        double[] sums = new double[cols];
        NoWagNormalizer.accumulateColumnSumSquares(w, rows, cols, sums);
        return NoWagNormalizer.columnNorms(sums);
    }

    /** pattern and overall_sparsity, as a pruned model's config.json has always carried them. */
    @Override
    public void describeRun(ObjectNode compression, MethodParams params, List<TensorReport> tensors) {
        describePruned(compression, params, tensors);
    }

    /** pattern and overall_sparsity over the given tensors (shared with SparseGPT). */
    public static void describePruned(ObjectNode compression, MethodParams params, List<TensorReport> tensors) {
        long kept = 0;
        long total = 0;
        for (TensorReport t : tensors) {
            kept += t.kept;
            total += t.numel;
        }
        compression.put("pattern", params.describe());
        compression.put("overall_sparsity", total == 0 ? 0 : 1.0 - (double) kept / total);
    }

    @Override public long taskBytes(TargetTensor t) {
        int rows = t.blocks.stream().mapToInt(b -> b.rowCount).max().orElse(0);
        return MemoryEstimate.pruneTaskBytes(t.info, rows);
    }

    @Override public String taskBytesCounts() { return "one row block"; }

    @Override public double benchSeconds() {
        switch (kernel) {
            case NOWAG_P: return 10.82;
            case WANDA: return 9.54;
            case MAGNITUDE: return 9.19;
            default: return Double.NaN;
        }
    }

    @Override public List<Class<?>> kryoClasses() {
        return List.of(PruneParams.class, PrunePrepared.class, ColumnStatsTask.class, ScoreHistogramTask.class,
                BlockedThreshold.Cut.class, BlockedThreshold.Threshold.class, PruneMethod.class, SparsityPattern.class,
                SparsityPattern.Group.class);
    }
}
