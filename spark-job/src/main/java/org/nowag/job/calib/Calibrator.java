package org.nowag.job.calib;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nowag.io.tokenizer.Tokenizer;
import org.nowag.io.tokenizer.TokenizerLoader;
import org.nowag.job.spark.HadoopConfBytes;
import org.nowag.kernels.model.StatisticsCollector;

/**
 * {@code nowag calibrate} from text: the driver tokenizes the text and draws the windows; Spark tasks each take a
 * share and walk the model layer by layer (see {@link CalibrationTask}); the driver adds the partial sums in
 * partition order (double, so the result does not depend on the partitioning beyond double rounding) and writes
 * the statistics file.
 */
public final class Calibrator {
    private final JavaSparkContext spark;
    private final Consumer<String> log;

    public Calibrator(JavaSparkContext spark, Consumer<String> log) {
        this.spark = spark;
        this.log = log;
    }

    /** Computes the statistics; writes them when {@code opts.out} is set. */
    public StatisticsCollector run(CalibrateOptions opts) throws IOException {
        Configuration conf = spark.hadoopConfiguration();
        ModelWeights model = ModelWeights.open(opts.model, conf);
        if (opts.seqLen > model.maxPositions()) {
            throw new IllegalArgumentException("--seq-len " + opts.seqLen + " exceeds the model's "
                    + model.maxPositions() + " positions (config.json max_position_embeddings)");
        }
        if (opts.texts.isEmpty()) throw new IllegalArgumentException("give the calibration text with --text");
        Path outPath = opts.out == null ? null : new Path(opts.out);
        if (outPath != null && outPath.getFileSystem(conf).exists(outPath)) {
            throw new IOException(opts.out + ": already exists; choose another output path");
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
        Broadcast<byte[]> confBytes = spark.broadcast(HadoopConfBytes.toBytes(conf));
        String description = "nowag calibrate: " + windows.size() + " windows on " + parts + " tasks";
        spark.setJobDescription(description);
        List<StatisticsCollector> partial;
        try {
            partial = spark.parallelize(tasks, parts).map(t -> t.run(HadoopConfBytes.fromBytes(confBytes.value()))).collect();
        } finally {
            spark.setJobDescription(null);
        }
        StatisticsCollector total = new StatisticsCollector(opts.full);
        for (StatisticsCollector s : partial) total.merge(s);

        if (outPath != null) {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("statistic", "diag(X^T X): sum of x^2 over all calibration tokens, per input of each linear weight");
            meta.put("model", opts.model);
            meta.put("text", String.join(",", opts.texts));
            meta.put("samples", Integer.toString(opts.samples));
            meta.put("seq_len", Integer.toString(opts.seqLen));
            meta.put("seed", Long.toString(opts.seed));
            meta.put("tokens", Long.toString((long) windows.size() * opts.seqLen));
            FileSystem fs = outPath.getFileSystem(conf);
            StatisticsFileWriter.write(fs, outPath, total, meta);
            log.accept("wrote " + outPath + " (" + total.accumulators().size() + " linear weights"
                    + (opts.full ? ", full X^T X in " + StatisticsFileWriter.fullSibling(outPath) : "") + ")");
        }
        return total;
    }
}
