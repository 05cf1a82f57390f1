package org.nowag.job.method;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nowag.job.plan.TargetTensor;

/** What a plug-in's driver-side preparation may use, and where it leaves its results. */
public interface Preparation {
    /** A Spark task function over the executors' Hadoop configuration. */
    interface ConfTask<T, R> extends Serializable {
        R run(T task, Configuration conf) throws Exception;
    }

    JavaSparkContext spark();

    /** The driver's Hadoop configuration as executors get it (a broadcast, as Spark's own HadoopRDD does). */
    Broadcast<byte[]> confBytes();

    Consumer<String> log();

    /** Runs one task per element on the executors (with the run's fault hooks) and returns results in order. */
    <T, R> List<R> runStage(String description, List<T> tasks, ConfTask<T, R> fn) throws IOException;

    /** diag(X^T X) of a tensor from --calibration, or null (data-free). */
    float[] activations(TargetTensor t);

    /** A directory under the run's staging area for this tensor's intermediate files (removed on publish). */
    Path scratch(String purpose, TargetTensor t);

    /** Records that a tensor holds NaN or infinite weights (the run refuses, or copies it with --skip-nonfinite). */
    void nonFinite(String tensor, String why);

    /** What the tensor's task needs from the preparation (column norms, a threshold, a staged result). */
    void prepared(String tensor, Serializable data);
}
