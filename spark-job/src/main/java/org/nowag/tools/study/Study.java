package org.nowag.tools.study;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.Decompressor;
import org.nowag.job.api.Nowag;
import org.nowag.job.api.Preflight;
import org.nowag.job.api.TensorReport;
import org.nowag.job.calib.CalibrateOptions;
import org.nowag.job.calib.CalibrationStats;
import org.nowag.job.calib.Calibrator;
import org.nowag.job.calib.ModelWeights;
import org.nowag.job.eval.EvalOptions;
import org.nowag.job.eval.Evaluation;
import org.nowag.job.eval.Evaluator;
import org.nowag.kernels.armor.ArmorConfig;
import org.nowag.kernels.quant.RtnConfig;
import org.nowag.kernels.vq.VqConfig;

/**
 * The quality study: calibrate once on the training text, then for every row compress the model through the
 * public API ({@link Nowag#compress}; RTN through the study-only {@link RtnModel}), measure the stored weights'
 * losses ({@link WeightLoss}) and evaluate held-out perplexity with {@link Evaluator} (what {@code nowag evaluate}
 * runs), set by set. Results are rewritten after every row (study.json, study.md, study.csv), so a long run shows
 * its progress and a failed row is recorded and skipped.
 */
public final class Study {
    private final JavaSparkContext spark;
    private final Consumer<String> log;

    public Study(JavaSparkContext spark, Consumer<String> log) {
        this.spark = spark;
        this.log = log;
    }

    /** What a finished study knows; also what its files hold. */
    public static final class Outcome {
        public String date;
        public String model;
        public String command;
        public Map<String, Object> machine = new TreeMap<>();
        public Map<String, Object> calibration = new TreeMap<>();
        public Map<String, Object> evaluation = new TreeMap<>();
        public List<StudyResult> rows = new ArrayList<>();

        public StudyResult row(String id) {
            for (StudyResult r : rows) if (r.id.equals(id)) return r;
            return null;
        }
    }

    public Outcome run(StudySettings s) throws IOException {
        Configuration conf = spark.hadoopConfiguration();
        if (s.heldout.isEmpty()) throw new IllegalArgumentException("give at least one held-out set (--heldout NAME=PATH)");
        if (s.trainText.isEmpty()) throw new IllegalArgumentException("give the calibration text (--calibration-text)");
        Path out = new Path(s.out);
        FileSystem fs = out.getFileSystem(conf);
        out = fs.makeQualified(out);
        if (fs.exists(out) && fs.listStatus(out).length > 0) {
            throw new IllegalArgumentException("--out " + out + " is not empty; the study writes every model afresh into a new directory");
        }
        ModelWeights weights = ModelWeights.open(s.model, conf);
        if (weights.family() != ModelWeights.Family.LLAMA) {
            throw new IllegalArgumentException(s.model + " is not a causal LM (config.json model_type); the study measures perplexity");
        }
        ModelDirectory dense = weights.directory();
        List<String> matrices = matrices(dense);
        Map<Long, Long> widths = new TreeMap<>();
        for (String n : matrices) {
            TensorInfo t = dense.tensor(n);
            widths.merge(t.cols(), t.numel(), Math::min);
        }
        List<StudyRow> rows = StudyPlan.rows(s.sparsity, s.vqBits, s.vqMaxDim, s.rtnBits, widths, s.rows);
        fs.mkdirs(out);

        Outcome o = new Outcome();
        o.date = java.time.Instant.now().toString();
        o.model = dense.root().toString();
        o.command = s.commandLine;
        o.machine.put("host", java.net.InetAddress.getLocalHost().getHostName());
        o.machine.put("cores", Runtime.getRuntime().availableProcessors());
        o.machine.put("spark_master", spark.master());
        o.machine.put("load_average_at_start", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        o.machine.put("java", System.getProperty("java.version"));

        // 1. Calibration: once, on the training text; the full X^T X too when SparseGPT runs.
        boolean sparseGpt = rows.stream().anyMatch(r -> r.method.equals("sparsegpt"));
        CalibrateOptions c = new CalibrateOptions();
        c.model = s.model;
        c.texts = s.trainText;
        c.samples = s.samples;
        c.seqLen = s.seqLen > 0 ? s.seqLen : weights.maxPositions();
        c.seed = s.seed;
        c.out = new Path(out, "calibration/stats.safetensors").toString();
        c.full = sparseGpt;
        c.partitions = s.partitions;
        Preflight.calibrate(c, conf);
        long t0 = System.nanoTime();
        new Calibrator(spark, log).run(c);
        o.calibration.put("windows", c.samples);
        o.calibration.put("tokens_per_window", c.seqLen);
        o.calibration.put("seed", c.seed);
        o.calibration.put("files", c.texts.size());
        o.calibration.put("full_xtx", c.full);
        o.calibration.put("seconds", seconds(t0));
        o.calibration.put("stats", c.out);
        CalibrationStats stats = CalibrationStats.load(c.out, conf);
        o.evaluation.put("max_eval_tokens", s.maxEvalTokens);
        o.evaluation.put("sets", new ArrayList<>(s.heldout.keySet()));
        o.evaluation.put("intervals", StudyIntervals.description());
        Map<String, Map<String, Evaluation>> evaluations = new TreeMap<>();

        for (StudyRow row : rows) {
            StudyResult r = new StudyResult();
            r.id = row.id;
            r.method = row.method;
            r.setting = row.setting(s.armorBlock, s.armorIters, s.vqIters);
            o.rows.add(r);
            log.accept("study: " + row.id + " (" + r.setting + ")");
            try {
                String model = row.kind == StudyRow.Kind.DENSE ? s.model : produce(row, s, out, c.out, matrices, dense, r);
                if (row.kind == StudyRow.Kind.DENSE) {
                    r.bitsPerWeight = denseBits(dense, matrices);
                    r.proxyLoss = 0.0;
                    r.dataAwareLoss = 0.0;
                    r.tensorsCompressed = 0;
                    r.path = "the model as given";
                } else {
                    WeightLoss l = WeightLoss.of(dense, model, matrices, stats, conf);
                    r.proxyLoss = l.proxyRelative();
                    r.dataAwareLoss = l.dataAwareRelative();
                }
                long e0 = System.nanoTime();
                for (Map.Entry<String, List<String>> set : s.heldout.entrySet()) {
                    Evaluation e = evaluate(s, model, set.getValue(), new Path(out, "evaluations/" + row.id + "." + set.getKey() + ".json"), conf);
                    r.perplexity.put(set.getKey(), e.comparedPerplexity);
                    evaluations.computeIfAbsent(row.id, k -> new java.util.LinkedHashMap<>()).put(set.getKey(), e);
                    o.evaluation.put("context", e.context);
                    o.evaluation.put("stride", e.stride);
                    o.evaluation.put("tokens_scored." + set.getKey(), e.tokensScored);
                    StudyResult d = o.row("dense");
                    if (d != null && d != r && !e.originalPerplexity.equals(d.perplexity.get(set.getKey()))) {
                        log.accept("warning: dense perplexity on " + set.getKey() + " came out " + e.originalPerplexity
                                + " in this evaluation, " + d.perplexity.get(set.getKey()) + " in the dense row");
                    }
                }
                r.evaluateSeconds = seconds(e0);
            } catch (IOException | RuntimeException e) {
                r.error = e.getMessage() == null ? e.toString() : e.getMessage();
                log.accept("study: " + row.id + " failed: " + r.error);
                evaluations.remove(row.id);
            }
            try {
                StudyIntervals.fill(rows, o, evaluations);
            } catch (RuntimeException e) {  // a row's table stays useful without its intervals
                log.accept("warning: bootstrap intervals not computed: " + e.getMessage());
            }
            StudyFiles.write(fs, out, o);
        }
        log.accept("wrote " + new Path(out, StudyFiles.MARKDOWN) + ", " + StudyFiles.CSV + ", " + StudyFiles.JSON);
        return o;
    }

    /** Writes the row's model under OUT/models/ID and fills bits, seconds and tensors; returns its URI. */
    private String produce(StudyRow row, StudySettings s, Path out, String statsUri, List<String> matrices,
                           ModelDirectory dense, StudyResult r) throws IOException {
        String dir = new Path(out, "models/" + row.id).toString();
        long t0 = System.nanoTime();
        if (row.kind == StudyRow.Kind.RTN) {
            RtnModel m = RtnModel.write(dense, new Path(dir), RtnConfig.int_(row.bits), CompressOptions.DEFAULT_INCLUDE);
            r.compressSeconds = seconds(t0);
            r.bitsPerWeight = m.bitsPerWeight();
            r.tensorsCompressed = m.tensorsQuantized;
            r.path = "study-only: kernels RoundToNearest quantize + dequantize per matrix, W_hat written as F32";
            return dir;
        }
        CompressOptions opts;
        switch (row.kind) {
            case PRUNE_UNSTRUCTURED: opts = Nowag.unstructured(s.model, dir, row.method, row.sparsity); break;
            case PRUNE_2_4: opts = Nowag.nOfM(s.model, dir, row.method, 2, 4); break;
            case ARMOR:
                opts = Nowag.nOfM(s.model, dir, row.method, 2, 4).armor(ArmorConfig.of(s.armorBlock, s.armorIters, true));
                break;
            case VQ: opts = new CompressOptions().model(s.model).out(dir)
                    .method(org.nowag.job.api.CompressionMethod.NOWAG_VQ)
                    .vq(VqConfig.ofBits(row.vqDim, row.bits, s.vqIters, s.seed));
                break;
            default: throw new IllegalStateException(row.kind.name());
        }
        if (row.calibrated()) opts.calibration(statsUri);
        CompressionReport report = Nowag.compress(spark, opts, log);
        r.compressSeconds = seconds(t0);
        r.tensorsCompressed = report.tensorsCompressed;
        r.bitsPerWeight = storedBits(report);
        r.path = "compress --method " + row.method + (row.calibrated() ? " --calibration" : " (data-free)");
        if (report.tensorsCompressed != matrices.size()) {
            throw new IllegalStateException(row.id + " compressed " + report.tensorsCompressed + " matrices, the study expected " + matrices.size());
        }
        if (row.kind == StudyRow.Kind.VQ || row.kind == StudyRow.Kind.ARMOR) {
            // A NoWag-VQ output holds codes and codebooks, not the weights, and an ARMOR output declares itself raw
            // (model_type nowag_armor) although it keeps W_hat beside its parts, so evaluate refuses both: decompress
            // (what `nowag decompress` runs) writes the dense W_hat that evaluate reads. Not part of the compression's time.
            String decoded = new Path(out, "models/" + row.id + "-decompressed").toString();
            Preflight.decompress(dir, decoded, CompressOptions.DEFAULT_SHARD_BYTES, spark.hadoopConfiguration());
            new Decompressor(spark, log).run(dir, decoded, CompressOptions.DEFAULT_SHARD_BYTES);
            r.path += ", then decompress";
            return decoded;
        }
        return dir;
    }

    private Evaluation evaluate(StudySettings s, String model, List<String> texts, Path json, Configuration conf) throws IOException {
        EvalOptions e = new EvalOptions();
        e.model = s.model;
        e.compare = model;
        e.texts = texts;
        e.out = json.toString();
        e.context = s.context;
        e.stride = s.stride;
        e.maxEvalTokens = s.maxEvalTokens;
        e.partitions = s.partitions;
        Preflight.evaluate(e, conf);
        return new Evaluator(spark, log).run(e);
    }

    /**
     * Bits per weight as each method's report counts its stored form, weighted by element count: 2:4 cores 16-bit
     * value + 2-bit position per kept weight; unstructured pruning the NoWag reference's 16 bits per row + 32 per
     * kept weight (value + index); NoWag-VQ and ARMOR every stored part (codes/core, codebooks or A and B, norms).
     */
    static double storedBits(CompressionReport report) {
        double bits = 0;
        long n = 0;
        for (TensorReport t : report.tensors) {
            double b = t.compact24BitsPerWeight != null && t.armor == null ? t.compact24BitsPerWeight : t.referenceBitsPerWeight;
            bits += b * t.numel;
            n += t.numel;
        }
        return n == 0 ? 0 : bits / n;
    }

    private static double denseBits(ModelDirectory dense, List<String> matrices) {
        double bits = 0;
        long n = 0;
        for (String m : matrices) {
            TensorInfo t = dense.tensor(m);
            bits += 8.0 * t.dtype().bytes() * t.numel();
            n += t.numel();
        }
        return bits / n;
    }

    /** The matrices compress selects by default: 2-D float weights of the transformer layers. */
    static List<String> matrices(ModelDirectory model) {
        Pattern include = Pattern.compile(CompressOptions.DEFAULT_INCLUDE);
        List<String> out = new ArrayList<>();
        for (TensorInfo t : model.tensors()) {
            if (t.shape().length == 2 && t.dtype().isFloatConvertible() && include.matcher(t.name()).matches()) out.add(t.name());
        }
        if (out.isEmpty()) throw new IllegalArgumentException(model.root() + " has no layer weight matching " + CompressOptions.DEFAULT_INCLUDE);
        return out;
    }

    private static double seconds(long t0) { return (System.nanoTime() - t0) / 1e9; }
}
