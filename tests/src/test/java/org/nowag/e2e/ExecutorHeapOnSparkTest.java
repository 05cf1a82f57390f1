package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.nowag.job.spark.ExecutorHeap;

/**
 * nowag's contexts carry the ExecutorHeap plugin, and a local executor (this JVM) that ran a task has its heap kept
 * committed: MaxHeapFreeRatio 100 instead of G1's 70, so the heap does not shrink and regrow between blocks.
 */
class ExecutorHeapOnSparkTest {

    @Test
    void theExecutorOfANowagContextKeepsItsHeapCommitted() {
        JavaSparkContext spark = Fixtures.spark();
        assertTrue(spark.getConf().get("spark.plugins", "").contains(ExecutorHeap.class.getName()));
        assertEquals(List.of(1, 2, 3), spark.parallelize(List.of(1, 2, 3), 3).collect());
        HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        assertEquals("100", hotSpot.getVMOption("MaxHeapFreeRatio").getValue());
    }
}
