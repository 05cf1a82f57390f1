package org.nowag.job.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.SparkContext;

/**
 * Gets the SparkContext to run on: the one spark-submit (or a notebook) already made, else an embedded local[*].
 * Task descriptions travel with Kryo; our classes are registered ({@link KryoClasses}) so their names are not written
 * per record, and spark.kryo.registrationRequired=true (the test suite's setting) works.
 */
public final class SparkContexts {
    public static final String DEFAULT_MASTER = "local[*]";

    private SparkContexts() {}

    /**
     * @param master explicit master, or null: keep the one spark-submit set (spark.master), else local[*].
     */
    public static Handle getOrCreate(String master) {
        SparkMaster.check(master);
        // getActive is private[spark] in Scala, which is public in bytecode: the only way to ask without creating one.
        boolean existed = org.apache.spark.SparkContext$.MODULE$.getActive().isDefined();
        SparkConf conf = new SparkConf(true).setAppName("nowag");
        // The command's --conf settings win over system properties, as spark-submit's --conf does over defaults.
        if (!existed) CommandSettings.current().forEach(conf::set);
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster(DEFAULT_MASTER);
        }
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.kryo.registrator", KryoClasses.class.getName());
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        // Every task is a pure function of its inputs: a retried task rewrites the same part.
        conf.setIfMissing("spark.task.maxFailures", "4");
        // Tasks report their Hadoop file system bytes as Spark metrics (progress lines, Spark UI): TaskIoMetrics.
        addPlugin(conf, org.nowag.job.progress.TaskIoMetrics.class.getName());
        // Executors keep their heap committed instead of shrinking and regrowing it between blocks: ExecutorHeap.
        ExecutorHeap.enabled(conf);  // a bad value is refused here, before any executor starts
        addPlugin(conf, ExecutorHeap.class.getName());
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        JavaSparkContext context = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf));
        // Ours: S3A fails fast unless told otherwise (a context that was running got them from CommandSettings).
        if (!existed) S3FailFast.fillIn(context.hadoopConfiguration(), null);
        return new Handle(context, !existed);
    }

    private static void addPlugin(SparkConf conf, String plugin) {
        String plugins = conf.get("spark.plugins", "").strip();
        if (!java.util.Arrays.asList(plugins.split("\\s*,\\s*")).contains(plugin)) {
            conf.set("spark.plugins", plugins.isEmpty() ? plugin : plugins + "," + plugin);
        }
    }

    /**
     * The Hadoop configuration every command uses, for its checks before Spark starts and for commands that never
     * start it (inspect, import-minilm, dry runs): the active context's (which holds the command's settings while it
     * runs: {@link CommandSettings}), else a fresh one with every spark.hadoop.* setting (system properties,
     * spark-submit's conf, then the command's --conf), as Spark copies them into the context it makes, and S3A's
     * fail-fast defaults ({@link S3FailFast}) where none was given.
     */
    public static org.apache.hadoop.conf.Configuration hadoopConfiguration() {
        scala.Option<SparkContext> active = org.apache.spark.SparkContext$.MODULE$.getActive();
        if (active.isDefined()) return active.get().hadoopConfiguration();
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        for (scala.Tuple2<String, String> kv : new SparkConf(true).getAllWithPrefix(CommandSettings.HADOOP_PREFIX)) {
            conf.set(kv._1(), kv._2(), "spark.hadoop.* (system properties)");
        }
        CommandSettings.current().forEach((k, v) -> {
            if (k.startsWith(CommandSettings.HADOOP_PREFIX)) {
                conf.set(k.substring(CommandSettings.HADOOP_PREFIX.length()), v, CommandSettings.SOURCE);
            }
        });
        S3FailFast.fillIn(conf, null);
        return conf;
    }

    /** A context and whether we made it: a notebook's or a test's own context is not ours to stop. */
    public static final class Handle implements AutoCloseable {
        public final JavaSparkContext context;
        private final boolean owned;

        Handle(JavaSparkContext context, boolean owned) {
            this.context = context;
            this.owned = owned;
        }

        @Override public void close() {
            if (owned) context.stop();
        }
    }
}
