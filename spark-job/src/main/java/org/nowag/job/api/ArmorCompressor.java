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
import org.nowag.io.armor.ArmorTensors;
import org.nowag.job.commit.OutputLayout;
import org.nowag.job.exec.ArmorPartSummary;
import org.nowag.job.exec.ArmorTask;
import org.nowag.job.plan.CompressionPlan;
import org.nowag.job.plan.TargetTensor;
import org.nowag.job.spark.HadoopConfBytes;
import org.nowag.job.plan.RowBlock;
import org.nowag.kernels.armor.ArmorConfig;

/**
 * `compress --method armor`: the same plan (headers only), staging, parts, shards and publish steps as
 * {@link Compressor} and {@link VqCompressor}, with one task per matrix (A and B couple every row and column) and an
 * output in which each selected weight is the dense W_hat (so any tool loads it) followed by its six ARMOR tensors
 * ({@link ArmorTensors}); `decompress` rebuilds W_hat from those.
 */
final class ArmorCompressor {
    static final String FORMAT = "nowag-armor-v1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final JavaSparkContext spark;
    private final Consumer<String> log;

    ArmorCompressor(JavaSparkContext spark, Consumer<String> log) {
        this.spark = spark;
        this.log = log;
    }

    /** The output tensors in input order: each target's dense spec, then its six ARMOR specs. */
    static final class ArmorLayout {
        final ShardLayout shards;
        /** Output tensor name (the dense W_hat and its parts) -> the weight whose part holds it. */
        final Map<String, String> weightOf = new HashMap<>();

        ArmorLayout(Compressor.PlannedRun planned, ArmorConfig cfg, long maxShardBytes) {
            List<TensorSpec> outputs = new ArrayList<>();
            DType floatType = cfg.halfStorage() ? DType.F16 : DType.F32;
            for (TensorInfo t : planned.model.tensors()) {
                outputs.add(new TensorSpec(t.name(), t.dtype(), t.shape()));
                TargetTensor target = planned.plan.target(t.name());
                if (target == null) continue;
                try {
                    cfg.checkShape("tensor " + t.name(), t.rows(), t.cols());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(e.getMessage() + "; or leave the tensor out with --include", e);
                }
                weightOf.put(t.name(), t.name());
                for (TensorSpec s : ArmorTensors.specs(t.name(), t.rows(), t.cols(), cfg.blockSizeFor(t.rows(), t.cols()), floatType)) {
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
        ArmorConfig cfg = opts.armor();
        ArmorLayout layout = new ArmorLayout(planned, cfg, opts.maxShardBytes());
        String fingerprint = fingerprint(plan.fingerprint, cfg);

        Path outPath = new Path(opts.out());
        FileSystem outFs = outPath.getFileSystem(conf);
        outPath = outFs.makeQualified(outPath);
        Compressor.checkNotInside(planned.model.root(), outPath);
        OutputLayout out = new OutputLayout(outFs, outPath);
        CompressionReport done = RunStart.begin(out, out.state(fingerprint), fingerprint, plan.targets.size(), log);
        if (done != null) return done;
        log.accept(String.format("plan: ARMOR 2:4 (%s) of %d matrices, one task each (largest %.1f MiB as float32), "
                        + "%d tensors copied, %d output shards", cfg, plan.targets.size(),
                plan.largestBlockBytes / 1048576.0, plan.sourceShards.size() - plan.targets.size(),
                layout.shards.shardCount()));

        Broadcast<byte[]> confBytes = spark.broadcast(HadoopConfBytes.toBytes(conf));
        Set<Path> committed = out.committedParts();
        List<ArmorTask> todo = new ArrayList<>();
        List<ArmorPartSummary> summaries = new ArrayList<>();
        for (TargetTensor t : plan.targets) {
            Path part = out.part(t.name(), 0, 1);
            if (out.isCommitted(committed, part)) {
                summaries.add(ArmorTask.readSummary(outFs, part));
            } else {
                float[] s = planned.stats == null ? null : planned.stats.diagonal(t.name());
                RowBlock whole = new RowBlock(t.shardPath, t.info, 0, Math.toIntExact(t.info.rows()), 0, 1);
                todo.add(new ArmorTask(whole, cfg, s, part.toString()));
            }
        }
        int reused = summaries.size();
        log.accept(String.format("armor: %d matrices to factorize, %d already committed", todo.size(), reused));
        if (!todo.isEmpty()) {
            spark.setJobDescription("nowag compress: armor on " + todo.size() + " matrices");
            try {
                summaries.addAll(spark.parallelize(todo, todo.size())
                        .map(task -> task.run(HadoopConfBytes.fromBytes(confBytes.value()))).collect());
            } finally {
                spark.setJobDescription(null);
            }
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
        report.arrowPartFilesWritten = ArrowParts.write(spark, out, layout.shards, name -> java.util.Arrays.stream(ArmorTensors.SUFFIXES).anyMatch(name::endsWith), confBytes, log);
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

    private CompressionReport report(CompressOptions opts, Compressor.PlannedRun planned, List<ArmorPartSummary> parts,
                                     Path outPath, String fingerprint) {
        CompressionReport r = new CompressionReport();
        r.model = planned.model.root().toString();
        r.output = outPath.toString();
        r.method = opts.method().cliName();
        r.pattern = "2:4";
        r.dataFree = planned.stats == null;
        r.calibration = r.dataFree ? "none (data-free: every input weighted 1)" : planned.stats.source();
        r.fingerprint = fingerprint;
        r.sparkMaster = spark.master();
        r.tensorsCompressed = planned.plan.targets.size();
        r.tensorsCopied = planned.plan.sourceShards.size() - planned.plan.targets.size();
        Map<String, ArmorPartSummary> byTensor = new HashMap<>();
        for (ArmorPartSummary s : parts) byTensor.put(s.tensor, s);
        double bits = 0;
        long weights = 0;
        for (TargetTensor t : planned.plan.targets) {
            ArmorPartSummary s = byTensor.get(t.name());
            TensorReport tr = new TensorReport();
            tr.name = t.name();
            tr.dtype = t.info.dtype().name();
            tr.shape = t.info.shape();
            tr.method = r.method;
            tr.pattern = r.pattern;
            tr.blocks = 1;
            tr.numel = s.numel;
            tr.kept = s.numel / 2;
            tr.sparsity = 0.5;
            tr.proxyLoss = s.proxyLoss;
            tr.proxyEnergy = s.proxyEnergy;
            tr.proxyLossRelative = s.proxyEnergy == 0 ? 0 : s.proxyLoss / s.proxyEnergy;
            tr.dataAwareLoss = s.dataAwareLoss;
            tr.seconds = s.reused ? 0 : s.seconds;
            tr.bytes = s.bytesWritten;
            tr.blocksReused = s.reused ? 1 : 0;
            tr.referenceBitsPerWeight = s.bitsPerWeight;
            tr.compact24BitsPerWeight = s.coreBitsPerWeight;
            ArmorTensorReport a = new ArmorTensorReport();
            a.blockSize = s.blockSize;
            a.iterations = s.iterations;
            a.storedFloat = s.storedFloat;
            a.losses = s.losses;
            a.startLoss = s.losses[0];
            a.endLoss = s.losses[s.losses.length - 1];
            a.stepsRejected = s.stepsRejected;
            a.coreBitsPerWeight = s.coreBitsPerWeight;
            a.wrapperBitsPerWeight = s.wrapperBitsPerWeight;
            a.normBitsPerWeight = s.normBitsPerWeight;
            a.bitsPerWeight = s.bitsPerWeight;
            tr.armor = a;
            r.tensors.add(tr);
            r.totalProxyLoss += s.proxyLoss;
            r.totalProxyEnergy += s.proxyEnergy;
            bits += s.bitsPerWeight * s.numel;
            weights += s.numel;
        }
        r.bitsPerWeight = weights == 0 ? 0.0 : bits / weights;
        r.overallSparsity = weights == 0 ? 0.0 : 0.5; // of the 2:4 core S; the stored W_hat = A S B itself is dense
        return r;
    }

    /** What a reader (or `nowag decompress`) needs to know about the ARMOR tensors, with every storage term. */
    static ObjectNode compressionBlock(CompressionReport report, ArmorConfig cfg) {
        ObjectNode c = JSON.createObjectNode();
        c.put("tool", "nowag-spark " + Version.VERSION);
        c.put("method", CompressionMethod.ARMOR.cliName());
        c.put("format", FORMAT);
        c.put("pattern", "2:4");
        c.put("block_size", cfg.blockSize()); // the most; each tensor's own is under tensors (the largest divisor that tiles it)
        c.put("iterations", cfg.iterations());
        c.put("stored_float", cfg.halfStorage() ? "F16" : "F32");
        c.put("calibration", report.calibration);
        c.put("tensors_compressed", report.tensorsCompressed);
        c.put("bits_per_weight", report.bitsPerWeight);
        c.put("bits_per_weight_counts", "2:4 core (value + 2-bit position per kept weight) + A and B blocks + row and "
                + "column norms, over every compressed weight; the dense W_hat stored beside them is not counted");
        c.put("w_hat", "diag(row_norms) A S B diag(col_norms); the weight's own tensor holds it densely");
        ObjectNode tensors = c.putObject("tensors");
        for (TensorReport t : report.tensors) {
            ObjectNode e = tensors.putObject(t.name);
            e.put("dtype", t.dtype);
            e.putArray("shape").add(t.shape[0]).add(t.shape[1]);
            e.put("block_size", t.armor.blockSize);
            e.put("bits_per_weight", t.armor.bitsPerWeight);
            e.put("core_bits_per_weight", t.armor.coreBitsPerWeight);
            e.put("wrapper_bits_per_weight", t.armor.wrapperBitsPerWeight);
            e.put("norm_bits_per_weight", t.armor.normBitsPerWeight);
        }
        return c;
    }

    private static String fingerprint(String planFingerprint, ArmorConfig cfg) {
        String s = FORMAT + "\n" + planFingerprint + "\n" + cfg + "\n";
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
