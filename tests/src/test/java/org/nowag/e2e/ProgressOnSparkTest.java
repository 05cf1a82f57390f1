package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.nowag.job.progress.Progress;
import org.nowag.job.progress.ProgressSink;

/** The progress listener on a real SparkContext: Spark's own events drive the line. */
class ProgressOnSparkTest {
    @Test
    void listenerOnARealContextFinishesOneLinePerJobWithEveryTaskCounted() throws Exception {
        JavaSparkContext spark = Fixtures.spark();
        List<String> finished = Collections.synchronizedList(new ArrayList<>());
        ProgressSink sink = new ProgressSink() {
            @Override public void update(String line) { }
            @Override public void finish(String line) { finished.add(line); }
        };
        try (Progress progress = Progress.attach(spark.sc(), sink)) {
            assertTrue(progress.active());
            spark.setJobDescription("nowag test: seven tasks");
            try {
                long n = spark.parallelize(IntStream.range(0, 70).boxed().toList(), 7).map(x -> x * 2).count();
                assertEquals(70, n);
            } finally {
                spark.setJobDescription(null);
            }
        } // close waits for Spark's listener bus, so the job's end has been seen
        assertEquals(1, finished.size(), finished.toString());
        assertTrue(finished.get(0).startsWith("nowag test: 7/7 tasks (100%), "), finished.get(0));
        assertTrue(finished.get(0).endsWith("ETA 0s"), finished.get(0));
    }

    @Test
    void withoutAnInteractiveTerminalTheCommandsDrawNothing() {
        // Surefire's JVM has no console, like Airflow, CI and log files.
        assertEquals(null, System.console());
        try (Progress progress = Progress.onTerminal(Fixtures.spark())) {
            assertFalse(progress.active());
        }
    }
}
