package org.nowag.job.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nowag.io.model.ShardLayout;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.io.vq.VqTensors;
import org.nowag.job.commit.OutputLayout;
import org.nowag.job.exec.VqPartSummary;
import org.nowag.job.exec.VqTask;
import org.nowag.job.plan.CompressionPlan;
import org.nowag.job.plan.RowBlock;
import org.nowag.job.plan.TargetTensor;
import org.nowag.job.spark.HadoopConfBytes;
import org.nowag.kernels.vq.VqConfig;

/**
 * `compress --method nowag-vq`: the same plan (headers only), staging, parts, shards and publish steps as
 * {@link Compressor}, with one task per matrix (the codebook is shared by the whole matrix) and an output in which
 * each selected dense weight is replaced by its four VQ tensors ({@link VqTensors}).
 */
final class VqCompressor {
    static final String FORMAT = "nowag-vq-v1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final JavaSparkContext spark;
    private final Consumer<String> log;

    VqCompressor(JavaSparkContext spark, Consumer<String> log) {
        this.spark = spark;
        this.log = log;
    }

    /** The output tensors in input order, with each target's dense spec replaced by its four VQ specs. */
    static final class VqLayout {
        final ShardLayout shards;
        /** VQ tensor name -> the dense weight it belongs to. */
        final Map<String, String> weightOf = new HashMap<>();

        VqLayout(Compressor.PlannedRun planned, VqConfig cfg, long maxShardBytes) {
            List<TensorSpec> outputs = new ArrayList<>();
            DType floatType = cfg.halfStorage ? DType.F16 : DType.F32;
            for (TensorInfo t : planned.model.tensors()) {
                TargetTensor target = planned.plan.target(t.name());
                if (target == null) {
                    outputs.add(new TensorSpec(t.name(), t.dtype(), t.shape()));
                    continue;
                }
                // d_in not divisible by d: each row's last subvector is padded (VqGeometry), its code is stored.
                long subvectors = VqTensors.codeCount(t.rows(), t.cols(), cfg.dim);
                int k = (int) Math.min(cfg.codebookSize, subvectors);
                for (TensorSpec s : VqTensors.specs(t.name(), t.rows(), t.cols(), cfg.dim, k, floatType)) {
                    outputs.add(s);
                    weightOf.put(s.name(), t.name());
                }
            }
            shards = ShardLayout.plan(outputs, maxShardBytes);
        }
    }

    CompressionReport run(CompressOptions opts) throws IOException {
        long started = System.nanoTime();
        Configuration conf = spark.hadoopConfiguration();
        Compressor.PlannedRun planned = Compressor.plan(opts, conf);
        CompressionPlan plan = planned.plan;
        VqConfig cfg = opts.vq();
        VqLayout layout = new VqLayout(planned, cfg, opts.maxShardBytes());
        String fingerprint = fingerprint(plan.fingerprint, cfg);

        Path outPath = new Path(opts.out());
        FileSystem outFs = outPath.getFileSystem(conf);
        outPath = outFs.makeQualified(outPath);
        Compressor.checkNotInside(planned.model.root(), outPath);
        OutputLayout out = new OutputLayout(outFs, outPath);
        CompressionReport done = RunStart.begin(out, out.state(fingerprint), fingerprint, plan.targets.size(), log);
        if (done != null) return done;
        log.accept(String.format("plan: NoWag-VQ (%s) of %d matrices (largest row block %.1f MiB as float32), "
                        + "%d tensors copied, %d output shards", cfg, plan.targets.size(),
                plan.largestBlockBytes / 1048576.0, plan.sourceShards.size() - plan.targets.size(),
                layout.shards.shardCount()));

        Broadcast<byte[]> confBytes = spark.broadcast(HadoopConfBytes.toBytes(conf));
        Set<Path> committed = out.committedParts();
        List<VqTask> todo = new ArrayList<>();
        Set<VqTask> overBudget = new HashSet<>();
        List<VqPartSummary> summaries = new ArrayList<>();
        for (TargetTensor t : plan.targets) {
            Path part = out.part(t.name(), 0, 1);
            if (out.isCommitted(committed, part)) {
                summaries.add(VqTask.readSummary(outFs, part));
            } else {
                float[] s = planned.stats == null ? null : planned.stats.diagonal(t.name());
                // The planner splits a matrix above --block-mb into row blocks; VQ takes it whole (one task, or k-means
                // over its own row blocks below), and the split is the signal that one task would be too large.
                RowBlock whole = new RowBlock(t.shardPath, t.info, 0, Math.toIntExact(t.info.rows()), 0, 1);
                VqTask task = new VqTask(whole, cfg, s, part.toString());
                todo.add(task);
                if (opts.vqRowBlocks() || t.blocks.size() > 1) overBudget.add(task);
            }
        }
        int reused = summaries.size();
        // A matrix above the row-block budget (or every one, when asked) runs its k-means over row blocks on
        // executors; the others are one task each. Both write the same part for the same matrix.
        List<VqTask> oneTask = new ArrayList<>();
        List<VqTask> rowBlocks = new ArrayList<>();
        for (VqTask t : todo) {
            (overBudget.contains(t) ? rowBlocks : oneTask).add(t);
        }
        log.accept(String.format("nowag-vq: %d matrices to quantize (%d as one task, %d over row blocks), %d already "
                + "committed", todo.size(), oneTask.size(), rowBlocks.size(), reused));
        if (!oneTask.isEmpty()) {
            spark.setJobDescription("nowag compress: nowag-vq on " + oneTask.size() + " matrices");
            try {
                summaries.addAll(spark.parallelize(oneTask, oneTask.size())
                        .map(task -> task.run(HadoopConfBytes.fromBytes(confBytes.value()))).collect());
            } finally {
                spark.setJobDescription(null);
            }
        }
        RowBlockVq blocked = new RowBlockVq(spark, confBytes, log);
        for (VqTask t : rowBlocks) {
            Path part = new Path(t.partPath);
            summaries.add(blocked.run(t, new Path(new Path(out.staging(), "vq-kmeans"), part.getParent().getName())));
        }
        if (opts.failAfterParts()) {
            throw new IllegalStateException("stopped after committing every part (fault injection for tests)");
        }
        int shardsWritten = PartsOutput.writeShards(spark, plan, layout.shards, layout.weightOf, out, confBytes);
        CompressionReport report = report(opts, planned, summaries, outPath, fingerprint);
        report.kernelTasksRun = todo.size();
        report.partsReused = reused;
        report.shardsWritten = shardsWritten;
        PartsOutput.publish(spark, planned, layout.shards, out, compressionBlock(report, cfg));
        report.arrowPartFilesWritten = ArrowParts.write(spark, out, layout.shards, name -> name.endsWith(VqTensors.CODES) || name.endsWith(VqTensors.CODEBOOK)
                || name.endsWith(VqTensors.ROW_NORMS) || name.endsWith(VqTensors.COL_NORMS), confBytes, log);
        report.wallSeconds = (System.nanoTime() - started) / 1e9;
        out.writeText(out.report(), report.toJson());
        // The manifest, then _SUCCESS, last: a reader that sees _SUCCESS finds a complete manifest beside it.
        PublishedManifest.write(spark, out, fingerprint, confBytes);
        out.deleteTempLeftovers();
        out.writeText(out.successMarker(), fingerprint);
        outFs.delete(out.staging(), true);
        log.accept("wrote " + outPath + " (report: " + out.report() + ")");
        return report;
    }

    private CompressionReport report(CompressOptions opts, Compressor.PlannedRun planned, List<VqPartSummary> parts,
                                     Path outPath, String fingerprint) {
        CompressionReport r = new CompressionReport();
        r.model = planned.model.root().toString();
        r.output = outPath.toString();
        r.method = opts.method().cliName();
        r.pattern = opts.vq().toString();
        r.dataFree = planned.stats == null;
        r.calibration = r.dataFree ? "none (data-free: every input weighted 1)" : planned.stats.source();
        r.fingerprint = fingerprint;
        r.sparkMaster = spark.master();
        r.tensorsCompressed = planned.plan.targets.size();
        r.tensorsCopied = planned.plan.sourceShards.size() - planned.plan.targets.size();
        Map<String, VqPartSummary> byTensor = new HashMap<>();
        for (VqPartSummary s : parts) byTensor.put(s.tensor, s);
        double bits = 0;
        long weights = 0;
        for (TargetTensor t : planned.plan.targets) {
            VqPartSummary s = byTensor.get(t.name());
            TensorReport tr = new TensorReport();
            tr.name = t.name();
            tr.dtype = t.info.dtype().name();
            tr.shape = t.info.shape();
            tr.method = r.method;
            tr.pattern = r.pattern;
            tr.blocks = 1;
            tr.numel = s.numel;
            tr.kept = s.numel;
            tr.proxyLoss = s.proxyLoss;
            tr.proxyEnergy = s.proxyEnergy;
            tr.proxyLossRelative = s.proxyEnergy == 0 ? 0 : s.proxyLoss / s.proxyEnergy;
            tr.dataAwareLoss = s.dataAwareLoss;
            tr.seconds = s.reused ? 0 : s.seconds;
            tr.bytes = s.bytesWritten;
            tr.blocksReused = s.reused ? 1 : 0;
            tr.referenceBitsPerWeight = s.bitsPerWeight;
            VqTensorReport v = new VqTensorReport();
            v.dim = s.dim;
            v.codebookSize = s.codebookSize;
            v.codeBits = s.codeBits;
            v.storedFloat = s.storedFloat;
            v.iterations = s.iterations;
            v.converged = s.converged;
            v.kMeansLosses = s.kMeansLosses;
            v.codeBitsPerWeight = s.codeBitsPerWeight;
            v.codebookBitsPerWeight = s.codebookBitsPerWeight;
            v.normBitsPerWeight = s.normBitsPerWeight;
            v.bitsPerWeight = s.bitsPerWeight;
            tr.vq = v;
            r.tensors.add(tr);
            r.totalProxyLoss += s.proxyLoss;
            r.totalProxyEnergy += s.proxyEnergy;
            bits += s.bitsPerWeight * s.numel;
            weights += s.numel;
        }
        r.bitsPerWeight = weights == 0 ? 0.0 : bits / weights;
        return r;
    }

    /** What a reader (or `nowag decompress`) needs to know about the VQ tensors, with every storage term. */
    static ObjectNode compressionBlock(CompressionReport report, VqConfig cfg) {
        ObjectNode c = JSON.createObjectNode();
        c.put("tool", "nowag-spark " + Version.VERSION);
        c.put("method", CompressionMethod.NOWAG_VQ.cliName());
        c.put("format", FORMAT);
        c.put("subvector_dim", cfg.dim);
        c.put("codebook_size", cfg.codebookSize);
        c.put("max_iterations", cfg.maxIterations);
        c.put("seed", cfg.seed);
        c.put("stored_float", cfg.halfStorage ? "F16" : "F32");
        c.put("calibration", report.calibration);
        c.put("tensors_compressed", report.tensorsCompressed);
        c.put("bits_per_weight", report.bitsPerWeight);
        c.put("bits_per_weight_counts", "codes + codebook + row norms + column norms, over every compressed weight");
        ObjectNode tensors = c.putObject("tensors");
        for (TensorReport t : report.tensors) {
            ObjectNode e = tensors.putObject(t.name);
            e.put("dtype", t.dtype);
            e.putArray("shape").add(t.shape[0]).add(t.shape[1]);
            e.put("codebook_size", t.vq.codebookSize);
            e.put("code_bits", t.vq.codeBits);
            e.put("bits_per_weight", t.vq.bitsPerWeight);
            e.put("code_bits_per_weight", t.vq.codeBitsPerWeight);
            e.put("codebook_bits_per_weight", t.vq.codebookBitsPerWeight);
            e.put("norm_bits_per_weight", t.vq.normBitsPerWeight);
        }
        return c;
    }

    private static String fingerprint(String planFingerprint, VqConfig cfg) {
        String s = "nowag-vq-v1\n" + planFingerprint + "\n" + cfg + "\n";
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
