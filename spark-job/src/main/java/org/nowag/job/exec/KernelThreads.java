package org.nowag.job.exec;

import org.apache.spark.TaskContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's GEMM and loop threads follow the cores Spark gives a task ({@code spark.task.cpus}, default 1), so that
 * local[*] or an executor running one task per core does not run cores x cores threads. The setting is per JVM
 * (ND4J and OpenBLAS have one pool), and every task of a job asks for the same count; outside a Spark task (tests,
 * benchmarks, the driver) nothing changes. A run with few large matrices (SparseGPT, ARMOR) gets its cores per task
 * with {@code --conf spark.task.cpus=N} (or {@code -Dspark.task.cpus=N} under java -jar).
 */
public final class KernelThreads {
    private static int applied = -1;

    private KernelThreads() {}

    /** Sets ND4J's thread counts to this task's cores (once per JVM and count); returns them (1 outside a task). */
    public static synchronized int matchTask() {
        TaskContext task = TaskContext.get();
        if (task == null) return 1;
        int cores = Math.max(1, task.cpus());
        if (cores != applied) {
            // libnd4j's parallel loops start maxMasterThreads threads (its setMaxThreads does not lower the count in
            // 1.0.0-M2.1); GEMM runs on OpenBLAS's own pool.
            Nd4j.getEnvironment().setMaxMasterThreads(cores);
            Nd4j.factory().blas().setMaxThreads(cores);
            applied = cores;
        }
        return cores;
    }
}
