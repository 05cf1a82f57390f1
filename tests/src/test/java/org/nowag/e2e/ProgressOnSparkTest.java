package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.job.progress.Progress;
import org.nowag.job.progress.ProgressSink;

/** The progress listener on a real SparkContext: Spark's own events drive the line. */
class ProgressOnSparkTest {
    /** Counted down by the first log line; a task waits for it, so the job surely runs across a tick. */
    static final CountDownLatch LOGGED = new CountDownLatch(1);

    @TempDir Path tmp;

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

    /**
     * In a log (no terminal) a real job gets whole lines on a timer, and its tasks' Hadoop reads appear as bytes:
     * nowag's contexts carry the TaskIoMetrics plugin, which turns each task's file system bytes into Spark metrics.
     */
    @Test
    void inALogARealJobGetsTimedLinesWithTheBytesItsTasksReadThroughHadoop() throws Exception {
        JavaSparkContext spark = Fixtures.spark();
        assertTrue(spark.getConf().get("spark.plugins", "").contains("org.nowag.job.progress.TaskIoMetrics"));
        Path data = tmp.resolve("data.bin");
        Files.write(data, new byte[100_000]);
        String file = data.toUri().toString();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (Progress progress = Progress.inLog(spark.sc(), line -> {
            log.add(line);
            LOGGED.countDown();
        }, 100)) {
            assertTrue(progress.active());
            spark.setJobDescription("nowag test: four reads");
            try {
                long bytes = spark.parallelize(List.of(0, 1, 2, 3), 4).map(i -> {
                    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file);
                    long n = 0;
                    try (FSDataInputStream in = p.getFileSystem(new Configuration()).open(p)) {
                        byte[] buf = new byte[8192];
                        for (int r; (r = in.read(buf)) > 0; ) n += r;
                    }
                    if (i == 3 && !LOGGED.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("no log line");
                    return n;
                }).reduce(Long::sum);
                assertEquals(400_000, bytes);
            } finally {
                spark.setJobDescription(null);
            }
        }
        assertFalse(log.isEmpty());
        for (String line : log) {
            assertTrue(line.startsWith("nowag test: ") && line.contains(" elapsed, ETA ") && !line.contains("\r"), line);
        }
        // The job printed a timed line, so its end is logged too, with every task and all bytes read.
        String last = log.get(log.size() - 1);
        assertTrue(last.startsWith("nowag test: 4/4 tasks (100%), "), last);
        assertTrue(last.contains(", 400 kB read, "), last);
        assertTrue(last.endsWith("ETA 0s"), last);
    }

    @Test
    void theLogIntervalIsSecondsAndABadValueSaysWhatToGive() {
        assertEquals(30_000, Progress.intervalMillis("30"));
        assertEquals(500, Progress.intervalMillis("0.5"));
        assertEquals(0, Progress.intervalMillis("0"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Progress.intervalMillis("fast"));
        assertTrue(e.getMessage().startsWith("spark.nowag.progress.interval=fast: "), e.getMessage());
    }
}
