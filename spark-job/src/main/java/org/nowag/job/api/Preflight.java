package org.nowag.job.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.armor.ArmorTensors;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.model.SideFiles;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.io.text.StrictUtf8;
import org.nowag.io.tokenizer.TokenizerLoader;
import org.nowag.io.vq.VqTensors;
import org.nowag.job.calib.CalibrateOptions;
import org.nowag.job.calib.CalibrationOutput;
import org.nowag.job.calib.ModelWeights;
import org.nowag.job.commit.FileOutput;
import org.nowag.job.commit.RunFingerprint;
import org.nowag.job.calib.StatisticsFileWriter;
import org.nowag.job.eval.EvalOptions;
import org.nowag.job.plan.Recipe;
import org.nowag.job.run.CompressionRun;
import org.nowag.job.eval.Evaluation;
import org.nowag.job.eval.EvaluationOutput;
import org.nowag.job.plan.TargetTensor;

/**
 * What every command checks before it writes a byte or starts Spark: its options, the input model (every header,
 * config.json, the JSON side files), the side inputs it reads (calibration files, text, tokenizer) and the type of
 * its output path. Reads headers and small files only. A problem is an exception whose message names the file or
 * option and the problem: {@link BadOptionException} for option values (exit 2), an IOException or
 * IllegalArgumentException for inputs (exit 1).
 */
public final class Preflight {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Preflight() {}

    /**
     * compress (and the API's Nowag.compress): everything the plan needs, config.json, side files, the output.
     * Returns the plan it checked (the run makes its own, from the same headers).
     */
    public static CompressionRun.Planned compress(CompressOptions opts, Configuration conf) throws IOException {
        return compress(Recipe.of(opts), opts, conf);
    }

    /** As {@link #compress(CompressOptions, Configuration)} for a run that follows a recipe (compress --recipe). */
    public static CompressionRun.Planned compress(Recipe recipe, CompressOptions opts, Configuration conf) throws IOException {
        opts.validate();
        Path out = OutputTarget.directory("--out", opts.out(), conf);
        if (opts.calibration() != null) safetensorsFile("--calibration", opts.calibration(), conf);
        // The planner opens the model (every shard header, config.json, the index) and the statistics, and each
        // method's plug-in checks its tensors (N:M divisibility, statistics that cover every weight, SparseGPT's
        // X^T X file, ARMOR's block size).
        CompressionRun.Planned planned = Compressor.plan(recipe, opts, conf);
        model(planned.model, opts.noConfig() ? null : "compress");
        CompressionRun.checkNotInside(planned.model.root(), out);
        return planned;
    }

    /**
     * calibrate from text: the model (config.json, family, tokenizer), the text, and an output that is absent or
     * holds this run's statistics already (then the returned status says complete); another run's is refused.
     */
    public static CalibrationOutput.Status calibrate(CalibrateOptions opts, Configuration conf) throws IOException {
        if (opts.samples < 1) throw BadOptionException.of("--samples", opts.samples, "must be at least 1");
        if (opts.seqLen < 2) throw BadOptionException.of("--seq-len", opts.seqLen, "must be at least 2 (special tokens included)");
        if (opts.partitions < 0) throw BadOptionException.of("--partitions", opts.partitions, "must be 0 (Spark's default) or more");
        Path out = OutputTarget.file("--out", opts.out, false, conf);
        if (opts.full) OutputTarget.file("--out", StatisticsFileWriter.fullSibling(out).toString(), false, conf);
        ModelWeights model = forwardModel("--model", opts.model, "calibrate", conf);
        if (opts.seqLen > model.maxPositions()) {
            throw BadOptionException.of("--seq-len", opts.seqLen, "exceeds the model's " + model.maxPositions()
                    + " positions (config.json max_position_embeddings)");
        }
        TokenizerLoader.load(model.directory().fileSystem(), model.directory().root());
        texts(opts.texts, conf);
        return CalibrationOutput.check(opts, conf);
    }

    /**
     * calibrate --imatrix: a regular input file, and an output that is absent or already holds this conversion.
     * Returns the conversion's fingerprint (the imatrix's bytes), or null when the output is complete.
     */
    public static String calibrateImatrix(String imatrix, String out, Configuration conf) throws IOException {
        Path in = regularFile("--imatrix", imatrix, conf);
        Path target = OutputTarget.file("--out", out, false, conf);
        String fingerprint = new RunFingerprint("nowag-imatrix-v1").file("imatrix ", in, in.getFileSystem(conf)).digest();
        switch (FileOutput.safetensors(target.getFileSystem(conf), target, fingerprint)) {
            case COMPLETE:
                return null;
            case CONFLICT:
                throw new IllegalArgumentException(FileOutput.conflict("--out", target, "statistics"));
            default:
                return fingerprint;
        }
    }

    /**
     * evaluate: both models (config.json, same family), the tokenizer, the text, the output file; and every tensor of
     * --model in --compare with its shape, since the forward pass reads the same names from both. Returns the stored
     * evaluation when this run's is already there (null otherwise); one from other inputs or settings is refused.
     */
    public static Evaluation evaluate(EvalOptions opts, Configuration conf) throws IOException {
        if (opts.maxChunks < 2) throw BadOptionException.of("--max-chunks", opts.maxChunks, "must be at least 2 (neighbours need two chunks)");
        if (opts.topK < 1) throw BadOptionException.of("--top-k", opts.topK, "must be at least 1");
        for (Object[] o : new Object[][] {{"--max-tokens", opts.maxTokens}, {"--context", opts.context},
                {"--stride", opts.stride}, {"--max-eval-tokens", opts.maxEvalTokens}, {"--partitions", opts.partitions}}) {
            if ((int) o[1] < 0) throw BadOptionException.of((String) o[0], o[1], "must be 0 (the default) or more");
        }
        if (opts.texts.isEmpty()) throw new BadOptionException("give the held-out text with --text");
        ModelWeights a = forwardModel("--model", opts.model, "evaluate", conf);
        ModelWeights b = forwardModel("--compare", opts.compare, "evaluate", conf);
        if (a.family() != b.family()) {
            throw new IllegalArgumentException("cannot compare a " + a.family() + " model (--model " + opts.model
                    + ") with a " + b.family() + " model (--compare " + opts.compare + ")");
        }
        for (TensorInfo t : a.directory().tensors()) {
            TensorInfo c = b.directory().tensor(t.name());
            if (c == null) {
                throw new IllegalArgumentException("--compare " + b.directory().root() + " lacks tensor '" + t.name()
                        + "' that --model has; evaluate runs both as dense models of one architecture"
                        + " (decompress a NoWag-VQ model first)");
            }
            if (!Arrays.equals(t.shape(), c.shape())) {
                throw new IllegalArgumentException("--compare " + b.directory().shardOf(t.name()) + ": tensor '" + t.name()
                        + "' has shape " + Arrays.toString(c.shape()) + ", --model has " + Arrays.toString(t.shape()));
            }
        }
        TokenizerLoader.load(a.directory().fileSystem(), a.directory().root());
        texts(opts.texts, conf);
        String out = opts.out != null ? opts.out : new Path(b.directory().root(), "evaluation.json").toString();
        OutputTarget.file(opts.out != null ? "--out" : "--compare", out, false, conf);
        return EvaluationOutput.existing(opts, EvaluationOutput.fingerprint(opts, conf), conf);
    }

    /** decompress: a NoWag-VQ or ARMOR model whose part tensors fit the shapes config.json records, and the output. */
    public static void decompress(String model, String outUri, long maxShardBytes, Configuration conf) throws IOException {
        if (maxShardBytes < 1) throw BadOptionException.of("--shard-mb", maxShardBytes / 1e6, "must be positive");
        Path out = OutputTarget.directory("--out", outUri, conf);
        ModelDirectory in = ModelDirectory.open(model, conf);
        model(in, "decompress");
        Path config = new Path(in.root(), ModelDirectory.CONFIG_FILE);
        org.nowag.io.card.PublishedConfig.Declared declared = Decompressor.declared(in, JSON.readTree(in.configJson()));
        JsonNode originals = declared.tensors();
        for (TensorInfo t : in.tensors()) {
            if (VqTensors.isCodes(t.name())) {
                String w = VqTensors.weightOf(t.name());
                long[] shape = recordedShape(config, originals, w);
                vqParts(in, w, shape[0], shape[1]);
            } else if (org.nowag.io.rtn.RtnTensors.isCodes(t.name())) {
                String w = org.nowag.io.rtn.RtnTensors.weightOf(t.name());
                int[] bg = Decompressor.rtnSettings(originals.get(w), w, in);
                long[] shape = recordedShape(config, originals, w);
                expect(in, w, shape[0], shape[1], org.nowag.io.rtn.RtnTensors.specs(w, shape[0], shape[1], bg[0], bg[1]));
            } else if (declared.format == org.nowag.io.card.RawFormat.ARMOR && originals.has(t.name())) {
                armorParts(in, t);
            }
        }
        CompressionRun.checkNotInside(in.root(), out);
    }

    /**
     * A model a command reads as a whole (inspect, and the checks above): config.json present unless command is null
     * (--no-config), and its JSON side files strict. Headers, config.json and the index were checked on opening.
     */
    public static void model(ModelDirectory model, String command) throws IOException {
        requireConfig(model, command);
        SideFiles.check(model);
    }

    /** A directory a command makes or fills (import-minilm --out, demo --dir, bench --dir). */
    public static void workDirectory(String option, String uri, Configuration conf) throws IOException {
        OutputTarget.directory(option, uri, conf);
    }

    /**
     * config.json must be there for a command that reads it or publishes a model (Hugging Face loaders cannot load
     * one without it). command null: the caller accepted a model without one (compress --no-config).
     */
    static void requireConfig(ModelDirectory model, String command) throws FileNotFoundException {
        if (command == null || model.configJson() != null) return;
        String file = new Path(model.root(), ModelDirectory.CONFIG_FILE).toString();
        if (command.equals("compress") || command.equals("inspect")) {
            throw new FileNotFoundException(file + ": missing; Hugging Face loaders need it to build the model. Add the "
                    + "model's config.json, or pass --no-config to write an output without one (it will not load with "
                    + "from_pretrained until a config.json is added)");
        }
        throw new FileNotFoundException(file + ": missing; " + command + " needs it (model_type and the architecture's sizes)");
    }

    private static ModelWeights forwardModel(String option, String uri, String command, Configuration conf) throws IOException {
        if (uri == null) throw new BadOptionException(command + " needs " + option);
        model(ModelDirectory.open(uri, conf), command);
        return ModelWeights.open(uri, conf);
    }

    private static long[] recordedShape(Path config, JsonNode originals, String weight) {
        JsonNode o = originals.get(weight);
        JsonNode shape = o == null ? null : o.get("shape");
        if (shape == null || !shape.isArray() || shape.size() != 2 || !shape.get(0).canConvertToLong()
                || !shape.get(1).canConvertToLong() || shape.get(0).asLong() < 1 || shape.get(1).asLong() < 1) {
            throw new IllegalArgumentException(config + " does not record the [rows, cols] shape of " + weight
                    + " (quantization_config.tensors)");
        }
        return new long[] {shape.get(0).asLong(), shape.get(1).asLong()};
    }

    /** The four VQ tensors of a rows x cols weight, as VqTensors.specs derives them from the codebook's [K, d]. */
    private static void vqParts(ModelDirectory in, String weight, long rows, long cols) throws IOException {
        TensorInfo codebook = part(in, weight, VqTensors.CODEBOOK);
        long[] kd = codebook.shape();
        if (kd.length != 2 || kd[0] < 1 || kd[1] < 1 || kd[0] > Integer.MAX_VALUE || kd[1] > Integer.MAX_VALUE
                || (codebook.dtype() != DType.F16 && codebook.dtype() != DType.F32)) {
            throw new IllegalArgumentException(in.shardOf(codebook.name()) + ": tensor '" + codebook.name() + "' is "
                    + codebook.dtype() + " " + Arrays.toString(kd) + "; a VQ codebook is F16 or F32 [K, d] with K, d >= 1");
        }
        expect(in, weight, rows, cols, VqTensors.specs(weight, rows, cols, (int) kd[1], (int) kd[0], codebook.dtype()));
    }

    /** The six ARMOR tensors beside a dense W_hat, as ArmorTensors.specs derives them from a_blocks' block size. */
    private static void armorParts(ModelDirectory in, TensorInfo dense) throws IOException {
        String weight = dense.name();
        TensorInfo a = part(in, weight, ArmorTensors.A_BLOCKS);
        long[] s = dense.shape();
        long[] as = a.shape();
        long b = as.length == 3 ? as[1] : -1;
        if (s.length != 2 || b < 4 || s[0] % b != 0 || s[1] % b != 0 || s[1] % 4 != 0
                || (a.dtype() != DType.F16 && a.dtype() != DType.F32)) {
            throw new IllegalArgumentException(in.shardOf(a.name()) + ": tensor '" + a.name() + "' is " + a.dtype() + " "
                    + Arrays.toString(as) + "; for the " + Arrays.toString(s) + " weight it needs F16 or F32 [d_out / b, b, b]"
                    + " with a block size b >= 4 dividing both dimensions");
        }
        expect(in, weight, s[0], s[1], ArmorTensors.specs(weight, s[0], s[1], (int) b, a.dtype()));
    }

    private static TensorInfo part(ModelDirectory in, String weight, String suffix) {
        TensorInfo t = in.tensor(weight + suffix);
        if (t == null) {
            throw new IllegalArgumentException(in.root() + " lacks tensor '" + weight + suffix + "' of the compressed weight " + weight);
        }
        return t;
    }

    private static void expect(ModelDirectory in, String weight, long rows, long cols, List<TensorSpec> specs) {
        for (TensorSpec e : specs) {
            TensorInfo t = part(in, e.name(), "");
            if (t.dtype() != e.dtype() || !Arrays.equals(t.shape(), e.shape())) {
                throw new IllegalArgumentException(in.shardOf(e.name()) + ": tensor '" + e.name() + "' is " + t.dtype() + " "
                        + Arrays.toString(t.shape()) + ", but the " + rows + " x " + cols + " weight " + weight
                        + " needs " + e.dtype() + " " + Arrays.toString(e.shape()) + " (truncated or mismatched parts)");
            }
        }
    }

    /** Every --text file (or .txt file of a --text directory) exists and is strict UTF-8; streamed, not held. */
    static void texts(List<String> uris, Configuration conf) throws IOException {
        if (uris.isEmpty()) throw new BadOptionException("give the text with --text");
        for (String uri : uris) {
            Path p = new Path(uri);
            FileSystem fs = p.getFileSystem(conf);
            FileStatus st;
            try {
                st = fs.getFileStatus(p);
            } catch (FileNotFoundException e) {
                throw new FileNotFoundException("--text " + uri + ": no such file or directory");
            }
            if (st.isDirectory()) {
                FileStatus[] files = fs.listStatus(p, f -> f.getName().endsWith(".txt"));
                if (files.length == 0) throw new IOException("--text " + uri + ": the directory holds no .txt file");
                for (FileStatus f : files) strictText(fs, f.getPath());
            } else {
                strictText(fs, p);
            }
        }
    }

    private static void strictText(FileSystem fs, Path p) throws IOException {
        char[] buf = new char[1 << 16];
        try (InputStream in = fs.open(p); Reader r = StrictUtf8.reader(in)) {
            while (r.read(buf) >= 0) {
                // decoding is the check
            }
        } catch (StrictUtf8.MalformedUtf8Exception e) {
            throw new IOException("--text " + p + ": " + e.getMessage() + "; text must be UTF-8");
        }
    }

    /** An input that must be one readable safetensors file: its header is read and validated. */
    private static void safetensorsFile(String option, String uri, Configuration conf) throws IOException {
        Path p = regularFile(option, uri, conf);
        try (SafetensorsFile f = SafetensorsFile.open(p.getFileSystem(conf), p)) {
            f.header();
        }
    }

    private static Path regularFile(String option, String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        FileStatus st;
        try {
            st = p.getFileSystem(conf).getFileStatus(p);
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException(option + " " + uri + ": no such file");
        }
        if (!st.isFile()) throw new IOException(option + " " + uri + ": is a directory, not a file");
        return p;
    }
}
