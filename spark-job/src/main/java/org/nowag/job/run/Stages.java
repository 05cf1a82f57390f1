package org.nowag.job.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nowag.job.method.Preparation;
import org.nowag.job.spark.HadoopConfBytes;

/** Runs one Spark stage of a run: one task per element, results in order, a failure said in one line. */
final class Stages {
    private final JavaSparkContext spark;
    private final Broadcast<byte[]> conf;
    private final Consumer<String> log;

    Stages(JavaSparkContext spark, Broadcast<byte[]> conf, Consumer<String> log) {
        this.spark = spark;
        this.conf = conf;
        this.log = log;
    }

    <T, R> List<R> run(String description, List<T> tasks, Preparation.ConfTask<T, R> fn) throws IOException {
        if (tasks.isEmpty()) return List.of();
        spark.setJobDescription(description);
        log.accept(description);
        // Test-only: every task twice in the stage, run concurrently, both writing, as speculation would (Spark's
        // local mode never speculates, so this is how the tests get duplicate attempts on one machine).
        boolean twice = Boolean.getBoolean("nowag.fault.duplicateTasks");
        List<T> submitted = tasks;
        if (twice) {
            submitted = new ArrayList<>();
            for (T t : tasks) {
                submitted.add(t);
                submitted.add(t);
            }
        }
        Broadcast<byte[]> confBytes = conf;
        try {
            List<R> results = spark.parallelize(submitted, submitted.size())
                    .map(t -> fn.run(t, HadoopConfBytes.fromBytes(confBytes.value()))).collect();
            if (!twice) return results;
            List<R> firsts = new ArrayList<>();
            for (int i = 0; i < results.size(); i += 2) firsts.add(results.get(i));
            return firsts;
        } catch (Exception e) {  // Scala throws the checked SparkException undeclared
            if (!(e instanceof org.apache.spark.SparkException)) throw e;
            // Spark reports the last attempt's failure inside its own text; say which stage failed and why.
            throw new IOException(description + " failed after Spark's retries: " + rootMessage(e), e);
        } finally {
            spark.setJobDescription(null);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
