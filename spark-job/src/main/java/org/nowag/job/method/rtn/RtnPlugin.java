package org.nowag.job.method.rtn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.nowag.io.rtn.RtnTensors;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.RtnTensorReport;
import org.nowag.job.api.TensorReport;
import org.nowag.job.method.MethodParams;
import org.nowag.job.method.MethodPlugin;
import org.nowag.job.method.PlanContext;
import org.nowag.job.method.Reports;
import org.nowag.job.method.TensorOutput;
import org.nowag.job.method.TensorWork;
import org.nowag.job.plan.Planner;
import org.nowag.job.plan.TargetTensor;
import org.nowag.kernels.loss.ProxyLoss;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.nowag.kernels.quant.RoundToNearest;
import org.nowag.kernels.quant.RtnConfig;
import org.nowag.kernels.quant.RtnResult;

/**
 * Round-to-nearest INTn (kernels.quant {@link RoundToNearest}): per output channel, an asymmetric grid per group of
 * --rtn-group inputs (128 by default; a d_in it does not divide gets a shorter last group per row, as GPTQ's
 * grouping does). Each selected weight is replaced by its three RTN tensors ({@link RtnTensors}); `decompress`
 * rebuilds W_hat = scale * (code - zero). Data-free (calibration only weighs the reported losses); deterministic.
 * One whole matrix per task: each row's codes are packed as one bit stream.
 */
public final class RtnPlugin implements MethodPlugin {
    private static final long serialVersionUID = 1L;
    public static final String FORMAT = "nowag-rtn-v1";

    @Override public String name() { return "rtn"; }

    @Override public MethodParams params(CompressOptions rule, PlanContext ctx) { return new RtnParams(rule.rtn()); }

    @Override
    public TargetTensor plan(TensorInfo t, String shard, MethodParams params, PlanContext ctx) {
        RtnConfig cfg = ((RtnParams) params).config;
        return new TargetTensor(t, shard, this, params, Planner.wholeMatrix(t, shard, name()),
                RtnTensors.specs(t.name(), t.rows(), t.cols(), cfg.bits(), cfg.groupSize()));
    }

    @Override
    public TensorReport write(TensorWork work, Configuration conf, TensorOutput out) throws IOException {
        long start = System.nanoTime();
        TargetTensor t = work.target;
        RtnConfig cfg = ((RtnParams) t.params).config;
        int rows = Math.toIntExact(t.info.rows());
        int cols = Math.toIntExact(t.info.cols());
        float[] w = work.readAll(conf);
        RtnResult r;
        try {
            r = RoundToNearest.quantize(w, rows, cols, cfg);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tensor " + t.name() + ": " + e.getMessage(), e);
        }
        TensorReport report = report(t, w, r.dequantize(), work.activations, cfg);
        w = null;
        RtnTensors stored = new RtnTensors(rows, cols, cfg.bits(), cfg.groupSize(), r.codes, r.scales, r.zeros);
        for (TensorSpec s : t.outputs) out.write(s.name(), stored.bytes(s.name()));
        report.seconds = (System.nanoTime() - start) / 1e9;
        return report;
    }

    /** The report entry: the losses every method reports (NoWag proxy in normalized space, data-aware), and the bits. */
    private static TensorReport report(TargetTensor t, float[] w, float[] wHat, float[] s, RtnConfig cfg) {
        int rows = Math.toIntExact(t.info.rows());
        int cols = Math.toIntExact(t.info.cols());
        double[] colSs = new double[cols];
        NoWagNormalizer.accumulateColumnSumSquares(w, rows, cols, colSs);
        float[] cn = NoWagNormalizer.columnNorms(colSs);
        float[] rn = NoWagNormalizer.rowNorms(w, rows, cols, cn);
        float[] wBar = NoWagNormalizer.normalize(w, rows, cols, cn, rn);
        TensorReport tr = Reports.base(t);
        tr.blocks = 1;
        tr.numel = (long) rows * cols;
        tr.kept = tr.numel;
        tr.proxyLoss = ProxyLoss.normalized(wBar, NoWagNormalizer.normalize(wHat, rows, cols, cn, rn), rows, cols, s);
        tr.proxyEnergy = ProxyLoss.normalized(wBar, new float[wBar.length], rows, cols, s);
        tr.proxyLossRelative = Reports.relative(tr.proxyLoss, tr.proxyEnergy);
        tr.dataAwareLoss = ProxyLoss.dataAware(w, wHat, rows, cols, s);
        tr.bytes = t.outputs.stream().mapToLong(TensorSpec::byteSize).sum();
        double bits = 8.0 * tr.bytes / tr.numel;
        tr.referenceBitsPerWeight = bits;
        tr.bitsPerWeight = bits;
        RtnTensorReport q = new RtnTensorReport();
        q.bits = cfg.bits();
        q.groupSize = cfg.groupSize();
        q.groupsPerRow = cfg.groupsPerRow(cols);
        q.codeBitsPerWeight = 8.0 * t.outputs.get(0).byteSize() / tr.numel;
        q.scaleZeroBitsPerWeight = bits - q.codeBitsPerWeight;
        q.bitsPerWeight = bits;
        tr.rtn = q;
        return tr;
    }

    @Override public boolean isPart(String outputTensor) { return RtnTensors.isRtnTensor(outputTensor); }

    /** What a reader (or `nowag decompress`) needs to know about the RTN tensors, with every storage term. */
    @Override
    public void describeRun(ObjectNode c, MethodParams params, List<TensorReport> tensors) {
        RtnConfig cfg = ((RtnParams) params).config;
        c.put("format", FORMAT);
        c.put("bits", cfg.bits());
        c.put("group_size", cfg.groupSize());
        c.put("symmetric", false);
        c.put("scale_dtype", "F16");
        c.put("zero_dtype", "I16");
        c.put("bits_per_weight", Reports.bitsPerWeight(tensors));
        c.put("bits_per_weight_counts", "packed codes (each row padded to a byte) + an F16 scale and an I16 zero point "
                + "per group, over every compressed weight");
        c.put("w_hat", "scales[i, j / group_size] * (code(i, j) - zeros[i, j / group_size])");
    }

    @Override
    public void describeTensor(ObjectNode e, TensorReport t) {
        e.put("bits", t.rtn.bits);
        e.put("group_size", t.rtn.groupSize);
        e.put("bits_per_weight", t.rtn.bitsPerWeight);
    }

    /** The whole matrix as float32 three times over (W, W_hat, W_bar for the reported losses) plus the codes. */
    @Override public long taskBytes(TargetTensor t) { return t.info.numel() * (3L * Float.BYTES + 1) + (64L << 20); }

    @Override public String taskBytesCounts() {
        return "rtn, the whole matrix: W, W_hat and W_bar as float32, one byte per code";
    }

    @Override public List<Class<?>> kryoClasses() {
        return List.of(RtnParams.class, RtnConfig.class, RtnTensorReport.class);
    }
}
