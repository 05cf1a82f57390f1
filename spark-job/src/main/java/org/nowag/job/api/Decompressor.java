package org.nowag.job.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nowag.io.armor.ArmorTensors;
import org.nowag.io.card.ModelCard;
import org.nowag.io.fs.FileDigest;
import org.nowag.io.card.PublishedConfig;
import org.nowag.io.card.RawFormat;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.model.OutputFiles;
import org.nowag.io.model.ShardLayout;
import org.nowag.io.rtn.RtnTensors;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.io.vq.VqTensors;
import org.nowag.job.commit.ModelFolder;
import org.nowag.job.commit.OutputClaim;
import org.nowag.job.commit.OutputLayout;
import org.nowag.job.commit.OutputManifest;
import org.nowag.job.commit.ShardRecord;
import org.nowag.job.exec.DecompressShardTask;
import org.nowag.job.report.Invocation;
import org.nowag.job.run.CompressionRun;
import org.nowag.job.spark.HadoopConfBytes;

/**
 * `nowag decompress`: turns a NoWag-VQ or ARMOR model back into a dense HF model (W_hat in each weight's original dtype and
 * shape, from config.json's quantization_config, or an older output's compression block), so any HF-style tool loads it.
 * It commits like `compress` (docs/run-and-commit.md): the output's claim, one Spark task per output shard writing the
 * final shard once and its record, a re-run that redoes only uncommitted shards (or nothing, when finished), then the
 * side files, the manifest and _SUCCESS.
 */
public final class Decompressor {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final JavaSparkContext spark;
    private final Consumer<String> log;

    public Decompressor(JavaSparkContext spark, Consumer<String> log) {
        this.spark = spark;
        this.log = log == null ? s -> { } : log;
    }

    /** @return the number of weights decoded (0 when the output was already complete). */
    public int run(String model, String outUri, long maxShardBytes) throws IOException {
        return run(model, outUri, maxShardBytes, List.of());
    }

    /**
     * keepFiles: file-name globs of input files copied although the output rules leave them out (OutputFiles).
     * @return the number of weights decoded (0 when the output was already complete).
     */
    public int run(String model, String outUri, long maxShardBytes, List<String> keepFiles) throws IOException {
        OutputFiles sideFiles = new OutputFiles(keepFiles);
        String started = java.time.Instant.now().toString();
        Configuration conf = spark.hadoopConfiguration();
        ModelDirectory in = ModelDirectory.open(model, conf);
        ObjectNode config = in.configJson() == null ? null : (ObjectNode) JSON.readTree(in.configJson());
        PublishedConfig.Declared declared = declared(in, config);
        JsonNode originals = declared.tensors();
        List<TensorSpec> outputs = new ArrayList<>();
        List<String> vqWeights = new ArrayList<>();
        List<String> armorWeights = new ArrayList<>();
        Map<String, int[]> rtnWeights = new LinkedHashMap<>();  // weight -> {bits, group size}
        Map<String, String> shardOf = new LinkedHashMap<>();
        for (TensorInfo t : in.tensors()) {
            shardOf.put(t.name(), in.shardOf(t.name()).toString());
            if (VqTensors.isCodes(t.name())) {
                String w = VqTensors.weightOf(t.name());
                JsonNode o = originals.get(w);
                if (o == null || !o.path("shape").isArray() || o.path("shape").size() != 2) {
                    throw new IllegalArgumentException("config.json of " + in.root() + " does not record the dtype and "
                            + "shape of " + w + " (quantization_config.tensors)");
                }
                outputs.add(new TensorSpec(w, DType.parse("config.json", o.path("dtype").asText()),
                        new long[] {o.path("shape").get(0).asLong(), o.path("shape").get(1).asLong()}));
                vqWeights.add(w);
            } else if (RtnTensors.isCodes(t.name())) {
                String w = RtnTensors.weightOf(t.name());
                JsonNode o = originals.get(w);
                int[] bitsAndGroup = rtnSettings(o, w, in);
                outputs.add(new TensorSpec(w, DType.parse("config.json", o.path("dtype").asText()),
                        new long[] {o.path("shape").get(0).asLong(), o.path("shape").get(1).asLong()}));
                rtnWeights.put(w, bitsAndGroup);
            } else if (declared.format == RawFormat.ARMOR && originals.has(t.name())) {
                // ARMOR keeps the dense W_hat under the weight's name; it is rebuilt from the parts, not copied
                outputs.add(new TensorSpec(t.name(), t.dtype(), t.shape()));
                armorWeights.add(t.name());
            } else if (!VqTensors.isVqTensor(t.name()) && !ArmorTensors.isArmorTensor(t.name()) && !RtnTensors.isRtnTensor(t.name())) {
                outputs.add(new TensorSpec(t.name(), t.dtype(), t.shape()));
            }
        }
        ShardLayout layout = ShardLayout.plan(outputs, maxShardBytes);

        Path outPath = new Path(outUri);
        FileSystem outFs = outPath.getFileSystem(conf);
        outPath = outFs.makeQualified(outPath);
        CompressionRun.checkNotInside(in.root(), outPath);
        OutputLayout out = new OutputLayout(outFs, outPath);
        String fingerprint = fingerprint(in, maxShardBytes, keepFiles);
        // Read-only first (a finished output is answered, someone else's refused), then the same claim compress takes.
        if (finishedOrRefused(out, out.state(fingerprint))) return 0;
        try (OutputClaim claim = OutputClaim.acquire(out, conf, log)) {
            OutputLayout.State state = out.state(fingerprint);
            if (finishedOrRefused(out, state)) {
                claim.release();
                CompressionRun.removeStaging(out, null);
                return 0;
            }
            if (state == OutputLayout.State.RESUME) {
                log.accept("resuming the decompression staged in " + out.staging());
            } else {
                out.begin(fingerprint);
            }
            Map<String, ShardRecord> committed = out.committedShards();
            List<DecompressShardTask> tasks = new ArrayList<>();
            for (int i = 0; i < layout.shardCount(); i++) {
                String shard = layout.shardName(i);
                if (committed.containsKey(shard)) continue;
                tasks.add(task(in, layout.shardTensors(i), shardOf, vqWeights, armorWeights, rtnWeights,
                        new Path(outPath, shard), out.record(shard)));
            }
            log.accept(String.format("decompress: %d VQ, %d ARMOR and %d RTN weights into %d shards (%d to write, %d committed)",
                    vqWeights.size(), armorWeights.size(), rtnWeights.size(), layout.shardCount(), tasks.size(),
                    committed.size()));
            List<FileDigest> files = new ArrayList<>();
            for (ShardRecord r : committed.values()) files.add(r.shardDigest);
            if (!tasks.isEmpty()) {
                Broadcast<byte[]> confBytes = spark.broadcast(HadoopConfBytes.toBytes(conf));
                spark.setJobDescription("nowag decompress: " + tasks.size() + " shards");
                try {
                    for (ShardRecord r : spark.parallelize(tasks, tasks.size())
                            .map(t -> t.run(HadoopConfBytes.fromBytes(confBytes.value()))).collect()) {
                        files.add(r.shardDigest);
                    }
                } finally {
                    spark.setJobDescription(null);
                }
            }
            claim.check();
            if (layout.shardCount() > 1) files.add(out.writeHashed(ShardLayout.INDEX_FILE, layout.indexJson()));
            // A dense model again: the base's model_type and architectures back, the method's description in the
            // provenance file; the input's side files by the rules every output follows.
            ModelFolder.Step step = new ModelFolder.Step();
            step.command = "decompress";
            step.kind = ModelCard.Kind.DECOMPRESSED;
            step.method = declared.format.quantMethod;
            step.description = declared.description.deepCopy();
            step.tool = "nowag-spark " + Version.VERSION;
            step.started = started;
            step.finished = java.time.Instant.now().toString();
            step.commandLine = Invocation.commandLine();
            step.versions.put("Spark", spark.version());
            step.versions.put("Java", System.getProperty("java.version"));
            files.addAll(new ModelFolder(outFs, outPath, in, sideFiles).write(step).files);
            // The manifest, then _SUCCESS, last (as compress): `nowag verify` checks a decompressed model too.
            out.writeText(out.manifest(), OutputManifest.toJson(fingerprint, files));
            out.deleteTempLeftovers();
            out.writeText(out.successMarker(), fingerprint);
            claim.release();
            CompressionRun.removeStaging(out, null);
        }
        log.accept("wrote dense model " + outPath);
        return vqWeights.size() + armorWeights.size() + rtnWeights.size();
    }

    /**
     * An RTN weight's {bits, group size} and its recorded [rows, cols] shape, from its entry in config.json's
     * quantization_config.tensors (the codes' shape alone does not tell them apart).
     */
    public static int[] rtnSettings(JsonNode entry, String weight, ModelDirectory in) {
        String file = new Path(in.root(), ModelDirectory.CONFIG_FILE).toString();
        if (entry == null || !entry.path("shape").isArray() || entry.path("shape").size() != 2
                || entry.path("shape").get(0).asLong() < 1 || entry.path("shape").get(1).asLong() < 1) {
            throw new IllegalArgumentException(file + " does not record the dtype and shape of " + weight + " (quantization_config.tensors)");
        }
        int bits = entry.path("bits").asInt(-1);
        int group = entry.path("group_size").asInt(-1);
        if (bits < 1 || bits > 8 || group < 1) {
            throw new IllegalArgumentException(file + " does not record the RTN bits (1 to 8) and group_size (>= 1) of "
                    + weight + " (quantization_config.tensors): bits " + entry.path("bits") + ", group_size " + entry.path("group_size"));
        }
        return new int[] {bits, group};
    }

    /** COMPLETE: says so and returns true; CONFLICT: refused; otherwise false (the run goes on). */
    private boolean finishedOrRefused(OutputLayout out, OutputLayout.State state) {
        if (state == OutputLayout.State.CONFLICT) {
            throw new IllegalArgumentException("output directory " + out.root() + " is not empty and holds no "
                    + "decompression of this model; choose another --out or remove it");
        }
        if (state != OutputLayout.State.COMPLETE) return false;
        log.accept("output " + out.root() + " is already complete; nothing to do");
        return true;
    }

    /** The task of one output shard: which input shards hold what it copies and the parts of what it decodes. */
    private static DecompressShardTask task(ModelDirectory in, List<TensorSpec> tensors, Map<String, String> shardOf,
                                            List<String> vqWeights, List<String> armorWeights,
                                            Map<String, int[]> rtnWeights, Path shard, Path record) {
        Map<String, String> needed = new LinkedHashMap<>();
        List<String> decoded = new ArrayList<>();
        List<String> decodedArmor = new ArrayList<>();
        Map<String, int[]> decodedRtn = new LinkedHashMap<>();
        for (TensorSpec s : tensors) {
            if (vqWeights.contains(s.name())) {
                decoded.add(s.name());
                for (String suffix : new String[] {VqTensors.CODES, VqTensors.CODEBOOK, VqTensors.ROW_NORMS, VqTensors.COL_NORMS}) {
                    needed.put(s.name() + suffix, inputShard(in, shardOf, s.name() + suffix, "VQ"));
                }
            } else if (rtnWeights.containsKey(s.name())) {
                decodedRtn.put(s.name(), rtnWeights.get(s.name()));
                for (String suffix : RtnTensors.SUFFIXES) {
                    needed.put(s.name() + suffix, inputShard(in, shardOf, s.name() + suffix, "RTN"));
                }
            } else if (armorWeights.contains(s.name())) {
                decodedArmor.add(s.name());
                for (String suffix : ArmorTensors.SUFFIXES) {
                    needed.put(s.name() + suffix, inputShard(in, shardOf, s.name() + suffix, "ARMOR"));
                }
            } else {
                needed.put(s.name(), shardOf.get(s.name()));
            }
        }
        return new DecompressShardTask(shard.toString(), record.toString(), tensors, needed, decoded, decodedArmor,
                decodedRtn);
    }

    private static String inputShard(ModelDirectory in, Map<String, String> shardOf, String name, String format) {
        String shard = shardOf.get(name);
        if (shard == null) throw new IllegalArgumentException(in.root() + " lacks the " + format + " tensor " + name);
        return shard;
    }

    /** The raw format the model's config.json declares (format_version 1, or an older output's compression block). */
    static PublishedConfig.Declared declared(ModelDirectory in, JsonNode config) {
        String file = new Path(in.root(), ModelDirectory.CONFIG_FILE).toString();
        PublishedConfig.Declared d = config == null ? null : PublishedConfig.rawFormatOf(file, config);
        if (d == null) {
            throw new IllegalArgumentException(file + " declares no NoWag-VQ, ARMOR or RTN format (no quantization_config "
                    + "with quant_method " + RawFormat.NOWAG_VQ.quantMethod + ", " + RawFormat.ARMOR.quantMethod + " or " + RawFormat.RTN.quantMethod
                    + ", no compression block of an older output); decompress reads what compress --method nowag-vq, "
                    + "--method armor or --method rtn wrote");
        }
        return d;
    }

    private static String fingerprint(ModelDirectory in, long maxShardBytes, List<String> keepFiles) {
        StringBuilder s = new StringBuilder("nowag-decompress-v1\nmodel=").append(in.root()).append('\n');
        for (TensorInfo t : in.tensors()) {
            s.append(t.name()).append(' ').append(t.dtype()).append(' ').append(java.util.Arrays.toString(t.shape()))
                    .append(' ').append(t.begin()).append(' ').append(t.end()).append('\n');
        }
        s.append("maxShardBytes=").append(maxShardBytes).append('\n');
        // Only when given, so the fingerprints of runs without it stay what they were (their outputs resume).
        if (!keepFiles.isEmpty()) s.append("keepFiles=").append(String.join("\u0000", keepFiles)).append('\n');
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
