package org.nowag.job.spark;

import java.util.ServiceLoader;
import java.util.regex.Pattern;
import org.apache.spark.scheduler.ExternalClusterManager;
import org.nowag.job.api.BadOptionException;

/**
 * Checks a --master URL before a SparkContext is made: Spark itself refuses a bad one only while starting, after
 * logging a stack trace. The forms are those SparkContext.createTaskScheduler accepts, plus whatever a cluster
 * manager on the class path (YARN, Kubernetes) says it can create.
 */
public final class SparkMaster {
    private static final Pattern LOCAL = Pattern.compile("local(\\[([1-9][0-9]*|\\*)(\\s*,\\s*[1-9][0-9]*)?\\])?");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*\\]");
    private static final Pattern STANDALONE = Pattern.compile("spark://[^\\s/,:]+:[0-9]+(,[^\\s/,:]+:[0-9]+)*");
    static final String FORMS = "local, local[N], local[*], local[N,F], local-cluster[N,C,M], spark://HOST:PORT, yarn or k8s://URL";

    private SparkMaster() {}

    /** null (the one spark-submit gives) passes; anything Spark would not start is a BadOptionException naming it. */
    public static void check(String master) {
        if (master == null) return;
        if (LOCAL.matcher(master).matches() || LOCAL_CLUSTER.matcher(master).matches() || STANDALONE.matcher(master).matches()) {
            return;
        }
        for (ExternalClusterManager m : ServiceLoader.load(ExternalClusterManager.class, SparkMaster.class.getClassLoader())) {
            if (m.canCreate(master)) return;
        }
        if (master.equals("yarn") || master.startsWith("k8s://")) {
            throw BadOptionException.of("--master", master, "this class path has no cluster manager for it; run on the "
                    + "cluster through spark-submit (deploy/nowag-submit.sh), which brings its own");
        }
        throw BadOptionException.of("--master", "'" + master + "'", "not a Spark master URL; use " + FORMS);
    }
}
