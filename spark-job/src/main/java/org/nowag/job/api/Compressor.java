package org.nowag.job.api;

import java.io.IOException;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.nowag.job.plan.Recipe;
import org.nowag.job.run.CompressionRun;

/**
 * The compress job for one set of options (the command line: one rule, one method): a thin entry over the one
 * run, {@link CompressionRun}, which every method goes through.
 */
public final class Compressor {
    private final JavaSparkContext spark;
    private final Consumer<String> log;

    public Compressor(JavaSparkContext spark, Consumer<String> log) {
        this.spark = spark;
        this.log = log;
    }

    /** Opens the model, loads statistics and plans, touching headers only (no Spark needed). */
    public static CompressionRun.Planned plan(CompressOptions opts, Configuration conf) throws IOException {
        return CompressionRun.plan(Recipe.of(opts), opts, conf);
    }

    public CompressionReport run(CompressOptions opts) throws IOException {
        return run(Recipe.of(opts), opts);
    }

    /**
     * A run that follows a recipe (compress --recipe): its rules choose each tensor's method and settings; opts gives
     * the rest (model, out, calibration, block and shard sizes).
     */
    public CompressionReport run(Recipe recipe, CompressOptions opts) throws IOException {
        return new CompressionRun(spark, log).run(recipe, opts);
    }

    /** As {@link #plan(CompressOptions, Configuration)}, for a recipe. */
    public static CompressionRun.Planned plan(Recipe recipe, CompressOptions opts, Configuration conf) throws IOException {
        return CompressionRun.plan(recipe, opts, conf);
    }
}
