package org.nowag.job.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** spark.nowag.heap.keepCommitted: on by default, "false" turns it off, anything else is refused with its name. */
class ExecutorHeapTest {

    @Test
    void onByDefaultOffWithFalseAndABadValueIsRefusedByName() {
        assertTrue(ExecutorHeap.enabled(new SparkConf(false)));
        assertTrue(ExecutorHeap.enabled(new SparkConf(false).set(ExecutorHeap.KEY, "TRUE")));
        assertFalse(ExecutorHeap.enabled(new SparkConf(false).set(ExecutorHeap.KEY, " false ")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExecutorHeap.enabled(new SparkConf(false).set(ExecutorHeap.KEY, "maybe")));
        assertEquals(true, e.getMessage().startsWith("spark.nowag.heap.keepCommitted=maybe: give true"), e.getMessage());
    }
}
