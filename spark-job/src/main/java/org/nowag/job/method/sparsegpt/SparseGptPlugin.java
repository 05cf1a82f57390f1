package org.nowag.job.method.sparsegpt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.TensorReport;
import org.nowag.job.calib.FullGramFile;
import org.nowag.job.method.MethodParams;
import org.nowag.job.method.MethodPlugin;
import org.nowag.job.method.PlanContext;
import org.nowag.job.method.Reports;
import org.nowag.job.method.TensorOutput;
import org.nowag.job.method.TensorWork;
import org.nowag.job.method.prune.PruningPlugin;
import org.nowag.job.plan.MemoryEstimate;
import org.nowag.job.plan.Planner;
import org.nowag.job.plan.TargetTensor;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.nowag.kernels.prune.PruneResult;
import org.nowag.kernels.prune.SparsityPattern;
import org.nowag.kernels.sparsegpt.OutputLoss;
import org.nowag.kernels.sparsegpt.SparseGpt;

/**
 * SparseGPT (kernels.sparsegpt): one whole matrix per task (its sweep couples every row through the layer's full
 * X^T X, which the task reads itself from the file beside --calibration: d_in^2 values never pass the driver).
 */
public final class SparseGptPlugin implements MethodPlugin {
    private static final long serialVersionUID = 1L;

    @Override public String name() { return "sparsegpt"; }

    @Override
    public MethodParams params(CompressOptions rule, PlanContext ctx) throws IOException {
        return new SparseGptParams(rule.pattern(), FullGramFile.locate(name(), ctx.calibration, ctx.conf));
    }

    @Override
    public TargetTensor plan(TensorInfo t, String shard, MethodParams params, PlanContext ctx) {
        try {
            ((SparseGptParams) params).pattern.checkShape(t.rows(), t.cols());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tensor " + t.name() + " " + Planner.shapeText(t) + ": " + e.getMessage(), e);
        }
        return new TargetTensor(t, shard, this, params, Planner.wholeMatrix(t, shard, name()),
                List.of(TargetTensor.sameAs(t)));
    }

    /** Every target has a float [d_in, d_in] matrix in the X^T X file; its header and length identify the run. */
    @Override
    public String checkInputs(List<TargetTensor> mine, PlanContext ctx) throws IOException {
        List<String> names = new ArrayList<>();
        List<Long> dIns = new ArrayList<>();
        for (TargetTensor t : mine) {
            names.add(t.name());
            dIns.add(t.info.cols());
        }
        return FullGramFile.check(((SparseGptParams) mine.get(0).params).fullGram, names, dIns, ctx.conf);
    }

    @Override
    public TensorReport write(TensorWork work, Configuration conf, TensorOutput out) throws IOException {
        long start = System.nanoTime();
        TargetTensor t = work.target;
        SparseGptParams p = (SparseGptParams) t.params;
        int rows = Math.toIntExact(t.info.rows());
        int cols = Math.toIntExact(t.info.cols());
        float[] w = work.readAll(conf);
        double[] sums = new double[cols];
        NoWagNormalizer.accumulateColumnSumSquares(w, rows, cols, sums);
        float[] c = NoWagNormalizer.columnNorms(sums);
        double[] xtx = FullGramFile.read(p.fullGram, t.name(), cols, conf);
        // The factor overwrites X^T X in place (U in its upper triangle); the output loss reads what it leaves, the
        // strict lower triangle, and the diagonal saved here: one d_in^2 array for both.
        double[] xtxDiagonal = OutputLoss.diagonal(xtx, cols);
        PruneResult r = SparseGpt.pruneInPlace(w, rows, cols, xtx, p.pattern, SparseGpt.DEFAULT_BLOCK_SIZE,
                SparseGpt.DEFAULT_PERC_DAMP).withLosses(w, rows, cols, c, work.activations);
        TensorReport report = Reports.base(t);
        report.outputLoss = OutputLoss.ofLowerTriangle(w, r.pruned, rows, cols, xtx, xtxDiagonal);
        xtx = null;
        w = null;
        long n = (long) rows * cols;
        byte[] encoded = new byte[Math.toIntExact(n * t.info.dtype().bytes())];
        FloatCodec.encode(r.pruned, 0, t.info.dtype(), encoded, 0, Math.toIntExact(n));
        report.numel = n;
        report.kept = r.keptCount;
        report.proxyLoss = r.proxyLoss;
        report.proxyEnergy = r.proxyEnergy;
        report.dataAwareLoss = r.dataAwareLoss;
        report.bytes = encoded.length;
        report.seconds = (System.nanoTime() - start) / 1e9;
        out.write(t.name(), encoded);
        PruningPlugin.finish(report, t, p.pattern);
        return report;
    }

    @Override
    public void describeRun(ObjectNode compression, MethodParams params, List<TensorReport> tensors) {
        PruningPlugin.describePruned(compression, params, tensors);
    }

    @Override public long taskBytes(TargetTensor t) { return MemoryEstimate.sparseGptTaskBytes(t.info); }

    @Override public long taskOffHeapBytes(TargetTensor t) { return MemoryEstimate.sparseGptOffHeapBytes(t.info); }

    @Override public String taskBytesCounts() { return "the whole matrix and its X^T X"; }

    @Override public double benchSeconds() { return 96.63; }

    @Override public List<Class<?>> kryoClasses() { return List.of(SparseGptParams.class, SparsityPattern.class); }

    @Override public boolean taskPerTensor() { return true; }
}
