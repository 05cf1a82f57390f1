package org.nowag.job.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.TensorReport;
import org.nowag.job.method.MethodParams;
import org.nowag.job.method.MethodPlugin;
import org.nowag.job.method.PlanContext;
import org.nowag.job.method.Reports;
import org.nowag.job.method.TensorOutput;
import org.nowag.job.method.TensorWork;
import org.nowag.job.plan.Planner;
import org.nowag.job.plan.RowBlock;
import org.nowag.job.plan.TargetTensor;

/**
 * A method for testing the run alone: each weight becomes factor * W (in its dtype, row block by row block) followed
 * by a part tensor NAME.fake.row_sums (F32 [rows], the sums of the output's rows), so it exercises streamed and whole
 * outputs, row blocks, an extra output tensor and the Arrow file, with results a test computes by hand.
 */
final class DoublingMethod implements MethodPlugin {
    private static final long serialVersionUID = 1L;
    static final String SUMS = ".fake.row_sums";

    static final class Params implements MethodParams {
        private static final long serialVersionUID = 1L;
        final float factor;

        Params(float factor) { this.factor = factor; }

        @Override public String describe() { return "x" + factor; }

        @Override public String identity() { return "factor=" + factor; }
    }

    private final float factor;

    DoublingMethod(float factor) { this.factor = factor; }

    @Override public String name() { return "doubling"; }

    @Override public MethodParams params(CompressOptions rule, PlanContext ctx) { return new Params(factor); }

    @Override
    public TargetTensor plan(TensorInfo t, String shard, MethodParams params, PlanContext ctx) {
        List<RowBlock> blocks = Planner.rowBlocks(t, shard, ctx.blockBytes);
        return new TargetTensor(t, shard, this, params, blocks,
                List.of(TargetTensor.sameAs(t), new TensorSpec(t.name() + SUMS, DType.F32, new long[] {t.rows()})));
    }

    @Override
    public TensorReport write(TensorWork work, Configuration conf, TensorOutput out) throws IOException {
        TargetTensor t = work.target;
        float f = ((Params) t.params).factor;
        int cols = Math.toIntExact(t.info.cols());
        float[] sums = new float[Math.toIntExact(t.info.rows())];
        TensorReport r = Reports.base(t);
        OutputStream o = out.open(t.name());
        for (RowBlock b : t.blocks) {
            float[] w = work.readRows(conf, b.rowStart, b.rowCount);
            for (int i = 0; i < w.length; i++) {
                w[i] *= f;
                sums[Math.toIntExact(b.rowStart) + i / cols] += w[i];
            }
            byte[] bytes = new byte[w.length * t.info.dtype().bytes()];
            FloatCodec.encode(w, 0, t.info.dtype(), bytes, 0, w.length);
            o.write(bytes);
            r.numel += w.length;
        }
        byte[] s = new byte[sums.length * 4];
        FloatCodec.encode(sums, 0, DType.F32, s, 0, sums.length);
        out.write(t.name() + SUMS, s);
        r.kept = r.numel;
        return r;
    }

    @Override
    public void describeRun(ObjectNode compression, MethodParams params, List<TensorReport> tensors) {
        compression.put("factor", ((Params) params).factor);
    }

    @Override public boolean isPart(String outputTensor) { return outputTensor.endsWith(SUMS); }

    @Override public long taskBytes(TargetTensor t) { return t.info.numel() * 8; }

    @Override public String taskBytesCounts() { return "two copies of a block"; }

    @Override public List<Class<?>> kryoClasses() { return List.of(DoublingMethod.class, Params.class); }
}
