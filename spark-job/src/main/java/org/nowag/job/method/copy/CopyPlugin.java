package org.nowag.job.method.copy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.TensorReport;
import org.nowag.job.method.MethodParams;
import org.nowag.job.method.MethodPlugin;
import org.nowag.job.method.PlanContext;
import org.nowag.job.method.Reports;
import org.nowag.job.method.TensorOutput;
import org.nowag.job.method.TensorWork;
import org.nowag.job.plan.RowBlock;
import org.nowag.job.plan.TargetTensor;

/**
 * {@code --method copy}: the whole run with no kernel, every selected tensor's stored bytes written unchanged (not
 * decoded). What it costs over the raw I/O floor is what the run itself costs: the I/O floor of the pipeline.
 */
public final class CopyPlugin implements MethodPlugin {
    private static final long serialVersionUID = 1L;

    /** Nothing to choose. */
    public static final class Params implements MethodParams {
        private static final long serialVersionUID = 1L;
        @Override public String describe() { return "none"; }
        @Override public String identity() { return "copy"; }
    }

    @Override public String name() { return "copy"; }

    @Override public MethodParams params(CompressOptions rule, PlanContext ctx) { return new Params(); }

    @Override
    public TargetTensor plan(TensorInfo t, String shard, MethodParams params, PlanContext ctx) {
        List<RowBlock> whole = List.of(new RowBlock(shard, t, 0, Math.toIntExact(t.rows()), 0, 1));
        return new TargetTensor(t, shard, this, params, whole, List.of(TargetTensor.sameAs(t)));
    }

    @Override
    public TensorReport write(TensorWork work, Configuration conf, TensorOutput out) throws IOException {
        long start = System.nanoTime();
        TargetTensor t = work.target;
        OutputStream o = out.open(t.name());
        work.copyRaw(conf, o);
        TensorReport r = Reports.base(t);
        r.numel = t.info.numel();
        r.kept = r.numel;
        r.bytes = t.info.byteSize();
        r.seconds = (System.nanoTime() - start) / 1e9;
        return r;
    }

    @Override public void describeRun(ObjectNode compression, MethodParams params, List<TensorReport> tensors) { }

    /** The copy streams through one buffer. */
    @Override public long taskBytes(TargetTensor t) { return 1L << 20; }

    @Override public String taskBytesCounts() { return "a copy buffer"; }

    @Override public double benchSeconds() { return 10.14; }

    @Override public List<Class<?>> kryoClasses() { return List.of(Params.class); }
}
