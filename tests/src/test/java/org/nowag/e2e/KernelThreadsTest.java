package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nowag.job.exec.KernelThreads;

/** Inside a Spark task, ND4J's GEMM and loop threads are the task's cores (spark.task.cpus: 1 in the shared context). */
class KernelThreadsTest {
    @Test
    void gemmThreadsFollowSparkTaskCpus() {
        JavaSparkContext spark = Fixtures.spark();
        assertEquals("1", spark.getConf().get("spark.task.cpus", "1"));
        List<int[]> seen = spark.parallelize(List.of(0, 1), 2).map(i -> {
            int cores = KernelThreads.matchTask();
            return new int[] {cores, Nd4j.getEnvironment().maxMasterThreads(), Nd4j.factory().blas().getMaxThreads()};
        }).collect();
        for (int[] s : seen) {
            assertEquals(1, s[0], "the task's cores");
            assertEquals(1, s[1], "libnd4j loop threads");
            assertEquals(1, s[2], "BLAS threads");
        }
        assertEquals(1, KernelThreads.matchTask(), "outside a task: 1, nothing set");
    }
}
