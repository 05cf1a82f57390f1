package org.nowag.job.method.vq;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.fs.AtomicFiles;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.io.vq.VqTensors;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.TensorReport;
import org.nowag.job.api.VqTensorReport;
import org.nowag.job.exec.KernelThreads;
import org.nowag.job.exec.VqBlockTask;
import org.nowag.job.method.MethodParams;
import org.nowag.job.method.MethodPlugin;
import org.nowag.job.method.NonFiniteWeights;
import org.nowag.job.method.PlanContext;
import org.nowag.job.method.Preparation;
import org.nowag.job.method.Reports;
import org.nowag.job.method.TensorOutput;
import org.nowag.job.method.TensorWork;
import org.nowag.job.plan.MemoryEstimate;
import org.nowag.job.plan.Planner;
import org.nowag.job.plan.TargetTensor;
import org.nowag.kernels.vq.BlockedKMeans;
import org.nowag.kernels.vq.NoWagVq;
import org.nowag.kernels.vq.VqConfig;
import org.nowag.kernels.vq.VqGeometry;
import org.nowag.kernels.vq.VqResult;

/**
 * NoWag-VQ (kernels.vq): each selected dense weight is replaced by its four VQ tensors ({@link VqTensors}). One
 * matrix per task (its codebook is shared by the whole matrix); a matrix above --block-mb, or every one with
 * --vq-row-blocks, runs its k-means over row blocks on executors first ({@link RowBlockVq}) and its task copies
 * the staged result into the shard. Seeded, so a retried attempt writes the same bytes.
 */
public final class VqPlugin implements MethodPlugin {
    private static final long serialVersionUID = 1L;
    public static final String FORMAT = "nowag-vq-v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override public String name() { return "nowag-vq"; }

    @Override public MethodParams params(CompressOptions rule, PlanContext ctx) {
        return new VqParams(rule.vq(), rule.vqRowBlocks());
    }

    @Override
    public TargetTensor plan(TensorInfo t, String shard, MethodParams params, PlanContext ctx) {
        VqConfig cfg = ((VqParams) params).config;
        // d_in not divisible by d: each row's last subvector is padded (VqGeometry), its code is stored.
        long subvectors = VqTensors.codeCount(t.rows(), t.cols(), cfg.dim);
        int k = (int) Math.min(cfg.codebookSize, subvectors);
        List<TensorSpec> outputs = VqTensors.specs(t.name(), t.rows(), t.cols(), cfg.dim, k,
                cfg.halfStorage ? DType.F16 : DType.F32);
        // The row blocks a pruning task would read: more than one says the matrix is too large for one task.
        return new TargetTensor(t, shard, this, params, Planner.rowBlocks(t, shard, ctx.blockBytes), outputs);
    }

    /** Whether t's k-means runs over row blocks on executors, driven from the driver. */
    static boolean overRowBlocks(TargetTensor t) {
        return ((VqParams) t.params).rowBlocks || t.blocks.size() > 1;
    }

    @Override
    public void prepare(List<TargetTensor> todo, Preparation prep) throws IOException {
        List<TargetTensor> blocked = todo.stream().filter(VqPlugin::overRowBlocks).toList();
        if (blocked.isEmpty()) return;
        prep.log().accept(String.format("nowag-vq: %d matrices over row blocks on executors", blocked.size()));
        RowBlockVq runner = new RowBlockVq(prep.spark(), prep.confBytes(), prep.log());
        for (TargetTensor t : blocked) {
            Path scratch = prep.scratch("vq-kmeans", t);
            Path result = new Path(scratch.getParent(), scratch.getName() + ".result.safetensors");
            FileSystem fs = result.getFileSystem(prep.spark().hadoopConfiguration());
            if (!fs.exists(result)) {  // a result staged by an interrupted earlier run is complete (temp + rename)
                try {
                    runner.run(t, ((VqParams) t.params).config, prep.activations(t), scratch, result);
                } catch (NonFiniteWeights e) {
                    prep.nonFinite(e.tensor, e.why);
                    continue;
                }
            }
            prep.prepared(t.name(), result.toString());
        }
    }

    @Override
    public TensorReport write(TensorWork work, Configuration conf, TensorOutput out) throws IOException {
        TargetTensor t = work.target;
        if (work.prepared != null) return copyStaged(t, (String) work.prepared, conf, out);
        long start = System.nanoTime();
        int rows = Math.toIntExact(t.info.rows());
        int cols = Math.toIntExact(t.info.cols());
        float[] w = work.readAll(conf);
        // the fused assignment kernel runs on the cores Spark gives this task (1 outside a task)
        int threads = KernelThreads.matchTask();
        VqResult r;
        try {
            r = NoWagVq.quantize(w, rows, cols, work.activations, ((VqParams) t.params).config, threads);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tensor " + t.name() + ": " + e.getMessage(), e);
        }
        w = null;
        VqTensors stored = stored(r);
        TensorReport report = report(t, r, (System.nanoTime() - start) / 1e9);
        for (TensorSpec s : t.outputs) out.write(s.name(), stored.bytes(s.name()));
        return report;
    }

    private static VqTensors stored(VqResult r) {
        return new VqTensors(r.rows, r.cols, r.dim, r.codes, r.codebook, r.rowNorms, r.colNorms,
                r.halfStorage ? DType.F16 : DType.F32);
    }

    /** The report entry of a quantized matrix. */
    static TensorReport report(TargetTensor t, VqResult r, double seconds) {
        TensorReport tr = Reports.base(t);
        tr.blocks = 1;
        tr.numel = (long) r.rows * r.cols;
        tr.kept = tr.numel;
        tr.proxyLoss = r.proxyLoss;
        tr.proxyEnergy = r.proxyEnergy;
        tr.proxyLossRelative = Reports.relative(r.proxyLoss, r.proxyEnergy);
        tr.dataAwareLoss = r.dataAwareLoss;
        tr.seconds = seconds;
        tr.bytes = t.outputs.stream().mapToLong(TensorSpec::byteSize).sum();
        tr.referenceBitsPerWeight = r.bitsPerWeight();
        tr.bitsPerWeight = r.bitsPerWeight();
        VqTensorReport v = new VqTensorReport();
        v.dim = r.dim;
        v.codebookSize = r.codebookSize;
        v.codeBits = r.codeBits;
        v.storedFloat = r.halfStorage ? "F16" : "F32";
        v.iterations = r.kMeans.iterations;
        v.converged = r.kMeans.converged;
        v.kMeansLosses = r.kMeans.lossPerIteration.clone();
        v.codeBitsPerWeight = r.codeBitsPerWeight();
        v.codebookBitsPerWeight = r.codebookBitsPerWeight();
        v.normBitsPerWeight = r.normBitsPerWeight();
        v.bitsPerWeight = r.bitsPerWeight();
        tr.vq = v;
        return tr;
    }

    /** The row-block path's result: the four VQ tensors under their final names, the report in the header. */
    static void writeStaged(Configuration conf, Path path, String name, VqResult r, TensorReport report)
            throws IOException {
        VqTensors stored = stored(r);
        String json = JSON.writeValueAsString(report);
        AtomicFiles.write(path.getFileSystem(conf), path, out -> SafetensorsWriter.write(out, stored.specs(name),
                Map.of("report", json), (spec, o) -> o.write(stored.bytes(spec.name()))));
    }

    private static TensorReport copyStaged(TargetTensor t, String staged, Configuration conf, TensorOutput out)
            throws IOException {
        Path p = new Path(staged);
        try (SafetensorsFile f = SafetensorsFile.open(p.getFileSystem(conf), p)) {
            for (TensorSpec s : t.outputs) out.write(s.name(), f.readBytes(s.name(), 0, Math.toIntExact(s.byteSize())));
            return JSON.readValue(f.header().metadata().get("report"), TensorReport.class);
        }
    }

    @Override public boolean isPart(String outputTensor) { return VqTensors.isVqTensor(outputTensor); }

    /** What a reader (or `nowag decompress`) needs to know about the VQ tensors, with every storage term. */
    @Override
    public void describeRun(ObjectNode c, MethodParams params, List<TensorReport> tensors) {
        VqConfig cfg = ((VqParams) params).config;
        c.put("format", FORMAT);
        c.put("subvector_dim", cfg.dim);
        c.put("codebook_size", cfg.codebookSize);
        c.put("max_iterations", cfg.maxIterations);
        c.put("seed", cfg.seed);
        c.put("stored_float", cfg.halfStorage ? "F16" : "F32");
        c.put("bits_per_weight", Reports.bitsPerWeight(tensors));
        c.put("bits_per_weight_counts", "codes + codebook + row norms + column norms, over every compressed weight");
    }

    @Override
    public void describeTensor(ObjectNode e, TensorReport t) {
        e.put("codebook_size", t.vq.codebookSize);
        e.put("code_bits", t.vq.codeBits);
        e.put("bits_per_weight", t.vq.bitsPerWeight);
        e.put("code_bits_per_weight", t.vq.codeBitsPerWeight);
        e.put("codebook_bits_per_weight", t.vq.codebookBitsPerWeight);
        e.put("norm_bits_per_weight", t.vq.normBitsPerWeight);
    }

    @Override
    public long taskBytes(TargetTensor t) {
        VqConfig cfg = ((VqParams) t.params).config;
        return overRowBlocks(t) ? MemoryEstimate.vqRowBlockBytes(t.info, cfg.dim, cfg.blockSubvectors)
                : MemoryEstimate.vqTaskBytes(t.info, cfg.dim);
    }

    /** Measured with one iteration, setup included: an upper bound per iteration (k-means stops early). */
    @Override public double benchSeconds() { return 248.84; }

    @Override public boolean timePerIteration() { return true; }

    @Override public String taskBytesCounts() {
        return "the whole matrix, or for a matrix above --block-mb one k-means row block and the driver's codes";
    }

    @Override public List<Class<?>> kryoClasses() {
        return List.of(VqParams.class, VqConfig.class, VqBlockTask.class, VqBlockTask.Prepared.class,
                VqBlockTask.Finished.class, VqGeometry.class, BlockedKMeans.Partial.class, VqTensorReport.class);
    }

    @Override public boolean taskPerTensor() { return true; }
}
