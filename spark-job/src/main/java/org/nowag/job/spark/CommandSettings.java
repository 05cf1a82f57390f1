package org.nowag.job.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.nowag.job.api.BadOptionException;

/**
 * The Spark and Hadoop settings of one command line ({@code --conf KEY=VALUE}, as spark-submit takes them), applied
 * the same way by every command: {@code spark.hadoop.*} keys reach the Hadoop configuration of the pre-flight checks
 * ({@link SparkContexts#hadoopConfiguration()}) and of the run, and every {@code spark.*} key reaches the Spark
 * context the command starts. When a context is already running (a notebook's, a test's), the {@code spark.hadoop.*}
 * keys and S3A's fail-fast defaults ({@link S3FailFast}) are set on its Hadoop configuration for the command and put
 * back as they were afterwards; other {@code spark.*} keys cannot change a running context and are refused.
 */
public final class CommandSettings {
    public static final String HADOOP_PREFIX = "spark.hadoop.";

    /** The source Hadoop records for a setting given with --conf. */
    static final String SOURCE = "nowag --conf";

    private static volatile Map<String, String> current = Map.of();

    private CommandSettings() {}

    /** The current command's --conf settings (empty outside a command). */
    static Map<String, String> current() {
        return current;
    }

    /** Spark's settings for this command without starting Spark: system properties, then --conf. */
    public static org.apache.spark.SparkConf sparkConf() {
        org.apache.spark.SparkConf conf = new org.apache.spark.SparkConf(true);
        current.forEach(conf::set);
        return conf;
    }

    /** Parses KEY=VALUE pairs; a pair without '=' or a key outside spark.* is bad usage (exit 2). */
    public static Map<String, String> parse(List<String> pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq).strip();
            if (eq <= 0 || !key.startsWith("spark.")) {
                // Only the key is shown: the value may be a secret (fs.s3a.secret.key).
                throw BadOptionException.of("--conf", key + (eq < 0 ? "" : "=..."), "give KEY=VALUE with a spark.* key, e.g. "
                        + "spark.hadoop.fs.s3a.endpoint=http://host:9000 (Hadoop settings take the spark.hadoop. prefix)");
            }
            out.put(key, pair.substring(eq + 1));
        }
        return out;
    }

    /** Applies the settings for one command; closing the scope puts everything back. */
    public static Scope open(Map<String, String> settings) {
        scala.Option<SparkContext> active = org.apache.spark.SparkContext$.MODULE$.getActive();
        if (!active.isDefined()) {
            current = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
            return new Scope(null, Map.of());
        }
        List<String> sparkOnly = new ArrayList<>();
        for (String key : settings.keySet()) if (!key.startsWith(HADOOP_PREFIX)) sparkOnly.add(key);
        if (!sparkOnly.isEmpty()) {
            throw BadOptionException.of("--conf", sparkOnly.get(0), "Spark is already running in this JVM (a notebook's "
                    + "or an application's context), so only spark.hadoop.* settings can apply to this command");
        }
        Configuration conf = active.get().hadoopConfiguration();
        Map<String, String[]> previous = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            String key = k.substring(HADOOP_PREFIX.length());
            previous.putIfAbsent(key, S3FailFast.snapshot(conf, key));
            conf.set(key, v, SOURCE);
        });
        S3FailFast.fillIn(conf, previous);
        return new Scope(conf, previous);
    }

    /** What {@link #open} changed; closing restores it. */
    public static final class Scope implements AutoCloseable {
        private final Configuration conf;
        private final Map<String, String[]> previous;

        Scope(Configuration conf, Map<String, String[]> previous) {
            this.conf = conf;
            this.previous = previous;
        }

        @Override public void close() {
            current = Map.of();
            if (conf != null) S3FailFast.restore(conf, previous);
        }
    }
}
