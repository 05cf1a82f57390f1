package org.nowag.job.method.armor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.nowag.io.armor.ArmorTensors;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.job.api.ArmorTensorReport;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.TensorReport;
import org.nowag.job.method.MethodParams;
import org.nowag.job.method.MethodPlugin;
import org.nowag.job.method.PlanContext;
import org.nowag.job.method.Reports;
import org.nowag.job.method.TensorOutput;
import org.nowag.job.method.TensorWork;
import org.nowag.job.plan.MemoryEstimate;
import org.nowag.job.plan.Planner;
import org.nowag.job.plan.TargetTensor;
import org.nowag.kernels.armor.Armor;
import org.nowag.kernels.armor.ArmorConfig;
import org.nowag.kernels.armor.ArmorResult;
import org.nowag.kernels.prune.SparsityPattern;

/**
 * ARMOR 2:4 with block-diagonal wrappers (kernels.armor): one whole matrix per task (A's and B's blocks couple all
 * rows and columns). Each selected weight becomes the dense W_hat under its own name (in its dtype, so any tool
 * loads it) followed by its six ARMOR tensors ({@link ArmorTensors}); `decompress` rebuilds W_hat from those.
 * ARMOR has no randomness, so a retried attempt writes the same bytes.
 */
public final class ArmorPlugin implements MethodPlugin {
    private static final long serialVersionUID = 1L;
    public static final String FORMAT = "nowag-armor-v1";

    @Override public String name() { return "armor"; }

    /** ARMOR's core is 2:4 and nothing else. */
    @Override public SparsityPattern defaultPattern() { return SparsityPattern.nOfM(2, 4); }

    @Override public MethodParams params(CompressOptions rule, PlanContext ctx) { return new ArmorParams(rule.armor()); }

    @Override
    public TargetTensor plan(TensorInfo t, String shard, MethodParams params, PlanContext ctx) {
        ArmorConfig cfg = ((ArmorParams) params).config;
        try {
            cfg.checkShape("tensor " + t.name(), t.rows(), t.cols());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; or leave the tensor out with --include", e);
        }
        List<TensorSpec> outputs = new ArrayList<>();
        outputs.add(TargetTensor.sameAs(t));
        outputs.addAll(ArmorTensors.specs(t.name(), t.rows(), t.cols(), cfg.blockSize(),
                cfg.halfStorage() ? DType.F16 : DType.F32));
        return new TargetTensor(t, shard, this, params, Planner.wholeMatrix(t, shard, name()), outputs);
    }

    @Override
    public TensorReport write(TensorWork work, Configuration conf, TensorOutput out) throws IOException {
        long start = System.nanoTime();
        TargetTensor t = work.target;
        ArmorConfig cfg = ((ArmorParams) t.params).config;
        String name = t.name();
        int rows = Math.toIntExact(t.info.rows());
        int cols = Math.toIntExact(t.info.cols());
        float[] w = work.readAll(conf);
        ArmorResult r;
        try {
            r = Armor.compress(w, rows, cols, work.activations, cfg.withThreads(taskCpus()), null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tensor " + name + ": " + e.getMessage(), e);
        }
        w = null; // 4 bytes per weight, not needed while W_hat is rebuilt and encoded
        ArmorTensors stored = new ArmorTensors(rows, cols, r.blockSize, r.aBlocks, r.bBlocks, r.values, r.positions,
                r.rowNorms, r.colNorms, r.halfStorage ? DType.F16 : DType.F32);
        DType dense = t.info.dtype();
        float[] wHat = r.wHat();
        byte[] denseBytes = new byte[Math.toIntExact((long) wHat.length * dense.bytes())];
        FloatCodec.encode(wHat, 0, dense, denseBytes, 0, wHat.length);
        wHat = null;
        TensorReport report = report(t, r);
        report.seconds = (System.nanoTime() - start) / 1e9;
        out.write(name, denseBytes);
        denseBytes = null;
        for (TensorSpec s : t.outputs.subList(1, t.outputs.size())) out.write(s.name(), stored.bytes(s.name()));
        return report;
    }

    /**
     * The cores Spark gave this task (spark.task.cpus), which the kernel may use for its per-block loops; 1 outside a
     * Spark task. The output does not depend on it.
     */
    static int taskCpus() {
        TaskContext ctx = TaskContext.get();
        return ctx == null ? 1 : Math.max(1, ctx.cpus());
    }

    private static TensorReport report(TargetTensor t, ArmorResult r) {
        TensorReport tr = Reports.base(t);
        tr.blocks = 1;
        tr.numel = (long) r.rows * r.cols;
        tr.kept = tr.numel / 2;
        tr.sparsity = 0.5;  // of the 2:4 core S; the stored W_hat = A S B itself is dense
        tr.proxyLoss = r.proxyLoss;
        tr.proxyEnergy = r.proxyEnergy;
        tr.proxyLossRelative = Reports.relative(r.proxyLoss, r.proxyEnergy);
        tr.dataAwareLoss = r.dataAwareLoss;
        tr.bytes = t.outputs.stream().mapToLong(TensorSpec::byteSize).sum();
        tr.referenceBitsPerWeight = r.bitsPerWeight();
        tr.bitsPerWeight = r.bitsPerWeight();
        tr.compact24BitsPerWeight = r.coreBitsPerWeight();
        ArmorTensorReport a = new ArmorTensorReport();
        a.blockSize = r.blockSize;
        a.iterations = r.losses.length - 1;
        a.storedFloat = r.halfStorage ? "F16" : "F32";
        a.losses = r.losses.clone();
        a.startLoss = r.losses[0];
        a.endLoss = r.losses[r.losses.length - 1];
        a.stepsRejected = r.stepsRejected;
        a.coreBitsPerWeight = r.coreBitsPerWeight();
        a.wrapperBitsPerWeight = r.wrapperBitsPerWeight();
        a.normBitsPerWeight = r.normBitsPerWeight();
        a.bitsPerWeight = r.bitsPerWeight();
        tr.armor = a;
        return tr;
    }

    @Override public boolean isPart(String outputTensor) {
        return Arrays.stream(ArmorTensors.SUFFIXES).anyMatch(outputTensor::endsWith);
    }

    /** What a reader (or `nowag decompress`) needs to know about the ARMOR tensors, with every storage term. */
    @Override
    public void describeRun(ObjectNode c, MethodParams params, List<TensorReport> tensors) {
        ArmorConfig cfg = ((ArmorParams) params).config;
        c.put("format", FORMAT);
        c.put("pattern", "2:4");
        c.put("block_size", cfg.blockSize());
        c.put("iterations", cfg.iterations());
        c.put("stored_float", cfg.halfStorage() ? "F16" : "F32");
        c.put("bits_per_weight", Reports.bitsPerWeight(tensors));
        c.put("bits_per_weight_counts", "2:4 core (value + 2-bit position per kept weight) + A and B blocks + row and "
                + "column norms, over every compressed weight; the dense W_hat stored beside them is not counted");
        c.put("w_hat", "diag(row_norms) A S B diag(col_norms); the weight's own tensor holds it densely");
    }

    @Override
    public void describeTensor(ObjectNode e, TensorReport t) {
        e.put("bits_per_weight", t.armor.bitsPerWeight);
        e.put("core_bits_per_weight", t.armor.coreBitsPerWeight);
        e.put("wrapper_bits_per_weight", t.armor.wrapperBitsPerWeight);
        e.put("norm_bits_per_weight", t.armor.normBitsPerWeight);
    }

    @Override public long taskBytes(TargetTensor t) {
        return MemoryEstimate.armorTaskBytes(t.info, ((ArmorParams) t.params).config.blockSize());
    }

    /** Measured with one iteration, setup included. */
    @Override public double benchSeconds() { return 88.91; }

    @Override public boolean timePerIteration() { return true; }

    @Override public String taskBytesCounts() {
        return "ARMOR, the whole matrix, heap + ND4J off-heap: W, W_bar, core, the S step's residual and undo copy, "
                + "one chunk of block products";
    }

    @Override public List<Class<?>> kryoClasses() {
        return List.of(ArmorParams.class, ArmorConfig.class, ArmorTensorReport.class);
    }

    @Override public boolean taskPerTensor() { return true; }
}
