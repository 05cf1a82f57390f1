package org.nowag.job.calib;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.tokenizer.Tokenizer;
import org.nowag.io.tokenizer.TokenizerLoader;
import org.nowag.job.commit.FileOutput;
import org.nowag.job.spark.HadoopConfBytes;
import org.nowag.kernels.model.GramRowChunks;

/**
 * {@code nowag calibrate} from text. The driver tokenizes the text and draws the windows; map tasks each take a
 * contiguous share and walk the model layer by layer ({@link CalibrationTask}), handing on each weight's partial
 * sums as pieces (the diagonal; with --full, bands of X^T X); a keyed shuffle brings every partition's partial of a
 * piece to one reducer, which adds them in partition order ({@link PieceSums}, the same additions and so the same
 * bits as adding whole collectors on the driver) and stages the float32 result; two executor tasks then write the
 * statistics file and the --full sibling from the staged pieces ({@link StatisticsFileTask}). The driver receives
 * only names, widths and where each piece was staged: no matrix passes through it, whatever d_in and the number of
 * partitions.
 */
public final class Calibrator {
    private final JavaSparkContext spark;
    private final Consumer<String> log;

    public Calibrator(JavaSparkContext spark, Consumer<String> log) {
        this.spark = spark;
        this.log = log;
    }

    /** What a run wrote: every linear weight and its input width, in the files' order, and the tokens seen. */
    public static final class Result {
        public final Map<String, Integer> inputWidths;
        public final long tokens;

        Result(Map<String, Integer> inputWidths, long tokens) {
            this.inputWidths = inputWidths;
            this.tokens = tokens;
        }
    }

    /** Computes the statistics and writes them to {@code opts.out} (and its --full sibling). */
    public Result run(CalibrateOptions opts) throws IOException {
        Configuration conf = spark.hadoopConfiguration();
        ModelWeights model = ModelWeights.open(opts.model, conf);
        if (opts.seqLen > model.maxPositions()) {
            throw new IllegalArgumentException("--seq-len " + opts.seqLen + " exceeds the model's "
                    + model.maxPositions() + " positions (config.json max_position_embeddings)");
        }
        if (opts.texts.isEmpty()) throw new IllegalArgumentException("give the calibration text with --text");
        if (opts.out == null) throw new IllegalArgumentException("give the statistics file to write with --out");
        Path outPath = new Path(opts.out);
        FileSystem fs = outPath.getFileSystem(conf);
        Path fullPath = opts.full ? StatisticsFileWriter.fullSibling(outPath) : null;
        // A re-run with the same inputs and settings finds its files and does nothing; other ones are refused.
        CalibrationOutput.Status status = CalibrationOutput.check(opts, conf);
        if (status.complete) {
            log.accept("calibrate: " + fs.makeQualified(outPath) + " is already complete for these arguments; nothing to do");
            return existing(fs, outPath);
        }
        Tokenizer tokenizer = TokenizerLoader.load(model.directory().fileSystem(), model.directory().root());
        TokenWindows stream = TokenWindows.of(tokenizer, TextSource.read(opts.texts, conf));
        List<int[]> windows = stream.sample(opts.samples, opts.seqLen, opts.seed);
        log.accept(String.format("calibrate: %d windows of %d tokens (seed %d) from %d text tokens",
                windows.size(), opts.seqLen, opts.seed, stream.contentTokens()));

        int parts = Math.min(windows.size(), opts.partitions > 0 ? opts.partitions : spark.defaultParallelism());
        List<CalibrationTask> tasks = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            // Contiguous shares in drawing order: partition p gets windows [p*N/P, (p+1)*N/P).
            ArrayList<int[]> share = new ArrayList<>(windows.subList(p * windows.size() / parts, (p + 1) * windows.size() / parts));
            tasks.add(new CalibrationTask(opts.model, share, opts.full));
        }
        int reducers = Math.max(parts, spark.defaultParallelism());
        Path staging = stagingDir(fs.makeQualified(outPath));
        fs.delete(staging, true);  // what a failed earlier run left
        Broadcast<byte[]> confBytes = spark.broadcast(HadoopConfBytes.toBytes(conf));
        String stagingUri = staging.toString();
        List<StagedPiece> staged;
        spark.setJobDescription("nowag calibrate: " + windows.size() + " windows on " + parts + " tasks, sums on "
                + reducers + " reducers");
        try {
            staged = spark.parallelize(tasks, parts)
                    .mapPartitionsWithIndex((p, it) -> it.next().partialSums(HadoopConfBytes.fromBytes(confBytes.value()), p), false)
                    .mapToPair(t -> t)
                    .repartitionAndSortWithinPartitions(new GramBandKey.ByPiece(reducers))
                    .mapPartitionsWithIndex((r, it) -> PieceSums.sumAndStage(it, parts, new Path(stagingUri), r,
                            TaskContext.get().attemptNumber(), HadoopConfBytes.fromBytes(confBytes.value())).iterator(), false)
                    .collect();
        } finally {
            spark.setJobDescription(null);
        }
        staged = new ArrayList<>(staged);
        staged.sort(Comparator.<StagedPiece>comparingInt(s -> s.weight).thenComparingInt(s -> s.piece));
        Map<String, Integer> widths = checkComplete(staged, opts.full);

        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        meta.put("statistic", "diag(X^T X): sum of x^2 over all calibration tokens, per input of each linear weight");
        meta.put("model", opts.model);
        meta.put("text", String.join(",", opts.texts));
        meta.put("samples", Integer.toString(opts.samples));
        meta.put("seq_len", Integer.toString(opts.seqLen));
        meta.put("seed", Long.toString(opts.seed));
        meta.put("tokens", Long.toString((long) windows.size() * opts.seqLen));
        meta.put(FileOutput.METADATA_KEY, status.fingerprint);
        // The --full sibling first, the statistics file last: once the statistics file is there, the run is done.
        // (Each file appears whole or not at all; one that is already there is left as it is.)
        if (fullPath != null) {
            ArrayList<StagedPiece> bands = new ArrayList<>();
            for (StagedPiece s : staged) if (s.piece > 0) bands.add(s);
            write(new StatisticsFileTask(fs.makeQualified(fullPath).toString(), true, meta, bands), fullPath, confBytes);
        }
        ArrayList<StagedPiece> diagonals = new ArrayList<>();
        for (StagedPiece s : staged) if (s.piece == 0) diagonals.add(s);
        write(new StatisticsFileTask(fs.makeQualified(outPath).toString(), false, meta, diagonals), outPath, confBytes);
        fs.delete(staging, true);
        log.accept("wrote " + outPath + " (" + widths.size() + " linear weights"
                + (opts.full ? ", full X^T X in " + fullPath : "") + ")");
        return new Result(widths, (long) windows.size() * opts.seqLen);
    }

    /** One file, written by an executor task from the staged pieces. */
    private void write(StatisticsFileTask task, Path target, Broadcast<byte[]> confBytes) {
        spark.setJobDescription("nowag calibrate: write " + target.getName());
        try {
            spark.parallelize(new ArrayList<>(List.of(task)), 1).map(t -> t.run(HadoopConfBytes.fromBytes(confBytes.value()))).collect();
        } finally {
            spark.setJobDescription(null);
        }
    }

    /** What a complete earlier run wrote: the weights and widths from the file's header, the tokens from its metadata. */
    private static Result existing(FileSystem fs, Path out) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(fs, out)) {
            Map<String, Integer> widths = new LinkedHashMap<>();
            for (TensorInfo t : f.header().tensors()) widths.put(t.name(), Math.toIntExact(t.shape()[0]));
            String tokens = f.header().metadata().get("tokens");
            return new Result(widths, tokens == null ? 0 : Long.parseLong(tokens));
        }
    }

    /** Beside the output, so it is on the same store: {@code _NAME.sums}. */
    static Path stagingDir(Path out) {
        return new Path(out.getParent(), "_" + out.getName() + ".sums");
    }

    /** Every weight has its diagonal and, with --full, every band: a lost piece is an error, never a short file. */
    private static Map<String, Integer> checkComplete(List<StagedPiece> staged, boolean full) {
        Map<String, Integer> widths = new LinkedHashMap<>();
        int expectWeight = 0;
        int expectPiece = 0;
        for (StagedPiece s : staged) {
            int pieces = full ? 1 + GramRowChunks.bands(s.dIn) : 1;
            if (s.weight != expectWeight || s.piece != expectPiece) {
                throw new IllegalStateException("calibrate: piece " + s.piece + " of weight #" + s.weight + " (" + s.name
                        + ") arrived where piece " + expectPiece + " of weight #" + expectWeight + " was due");
            }
            widths.putIfAbsent(s.name, s.dIn);
            if (++expectPiece == pieces) {
                expectPiece = 0;
                expectWeight++;
            }
        }
        if (expectPiece != 0 || widths.isEmpty()) {
            throw new IllegalStateException(widths.isEmpty() ? "no linear layer saw any input"
                    : "calibrate: the last weight's pieces are incomplete");
        }
        return widths;
    }
}
