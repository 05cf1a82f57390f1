package org.nowag.job.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.SparkContext;

/**
 * Gets the SparkContext to run on: the one spark-submit (or a notebook) already made, else an embedded local[*].
 * Task descriptions travel with Kryo; our classes are registered so their names are not written per record.
 */
public final class SparkContexts {
    public static final String DEFAULT_MASTER = "local[*]";

    private SparkContexts() {}

    /** Classes that travel between driver and executors (plain classes: Spark's Kryo 4 cannot serialize records). */
    public static final String KRYO_CLASSES = String.join(",",
            "org.nowag.job.plan.RowBlock",
            "org.nowag.job.exec.PruneTask",
            "org.nowag.job.exec.PartSummary",
            "org.nowag.job.exec.ColumnStatsTask",
            "org.nowag.job.exec.ShardWriteTask",
            "org.nowag.job.exec.ShardSource",
            "org.nowag.job.exec.ScoreHistogramTask",
            "org.nowag.kernels.prune.BlockedThreshold$Cut",
            "org.nowag.kernels.prune.BlockedThreshold$Threshold",
            "org.nowag.job.exec.DigestTask",
            "org.nowag.job.exec.ArrowPartsTask",
            "org.nowag.io.fs.FileDigest",
            "org.nowag.io.safetensors.TensorInfo",
            "org.nowag.io.safetensors.TensorSpec",
            "org.nowag.io.safetensors.DType",
            "org.nowag.kernels.prune.SparsityPattern",
            "org.nowag.kernels.prune.SparsityPattern$Group",
            "org.nowag.kernels.prune.PruneMethod",
            "org.nowag.kernels.vq.VqConfig",
            "org.nowag.job.exec.VqTask",
            "org.nowag.job.exec.VqPartSummary",
            "org.nowag.kernels.armor.ArmorConfig",
            "org.nowag.job.exec.ArmorTask",
            "org.nowag.job.exec.ArmorPartSummary",
            "org.nowag.job.exec.VqBlockTask",
            "org.nowag.job.exec.VqBlockTask$Prepared",
            "org.nowag.job.exec.VqBlockTask$Finished",
            "org.nowag.kernels.vq.VqGeometry",
            "org.nowag.kernels.vq.BlockedKMeans$Partial",
            "org.nowag.job.exec.DecompressShardTask",
            "org.nowag.job.calib.CalibrationTask",
            "org.nowag.kernels.model.StatisticsCollector",
            "org.nowag.kernels.model.GramAccumulator",
            "org.nowag.kernels.model.Perplexity",
            "org.nowag.job.eval.EvalTask",
            "org.nowag.job.eval.EvalResult");

    /**
     * @param master explicit master, or null: keep the one spark-submit set (spark.master), else local[*].
     */
    public static Handle getOrCreate(String master) {
        SparkMaster.check(master);
        // getActive is private[spark] in Scala, which is public in bytecode: the only way to ask without creating one.
        boolean existed = org.apache.spark.SparkContext$.MODULE$.getActive().isDefined();
        SparkConf conf = new SparkConf(true).setAppName("nowag");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster(DEFAULT_MASTER);
        }
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.kryo.classesToRegister", KRYO_CLASSES);
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        // Every task is a pure function of its inputs: a retried task rewrites the same part.
        conf.setIfMissing("spark.task.maxFailures", "4");
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        return new Handle(JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf)), !existed);
    }

    /**
     * The Hadoop configuration a run will use, without starting Spark (for checks made before it starts): the active
     * context's, else a fresh one with every spark.hadoop.* setting (system properties, spark-submit's conf), as
     * Spark copies them into the context it makes.
     */
    public static org.apache.hadoop.conf.Configuration hadoopConfiguration() {
        scala.Option<SparkContext> active = org.apache.spark.SparkContext$.MODULE$.getActive();
        if (active.isDefined()) return active.get().hadoopConfiguration();
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        for (scala.Tuple2<String, String> kv : new SparkConf(true).getAllWithPrefix("spark.hadoop.")) {
            conf.set(kv._1(), kv._2());
        }
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
