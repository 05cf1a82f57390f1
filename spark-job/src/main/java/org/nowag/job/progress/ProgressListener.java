package org.nowag.job.progress;

import java.util.function.LongSupplier;
import org.apache.spark.Success$;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Counts a Spark job's tasks (and the bytes they read and wrote, from their Spark metrics) as they end and draws the
 * progress line: one line per job (each nowag step is one job), updated at most every {@code minIntervalNanos} and
 * finished when the job ends. Spark calls it on its listener thread; the clock is a parameter so tests feed events
 * without waiting.
 */
public final class ProgressListener extends SparkListener {
    public static final long DEFAULT_INTERVAL_NANOS = 200_000_000L;

    private final ProgressSink sink;
    private final LongSupplier clock;
    private final long minIntervalNanos;
    private String label = "spark";
    private long total;
    private long done;
    private long failed;
    private long bytesRead;
    private long bytesWritten;
    private boolean running;
    private long startNanos;
    private long lastDrawNanos;
    private boolean drawn;

    public ProgressListener(ProgressSink sink, LongSupplier clock, long minIntervalNanos) {
        this.sink = sink;
        this.clock = clock;
        this.minIntervalNanos = minIntervalNanos;
    }

    @Override public synchronized void onJobStart(SparkListenerJobStart jobStart) {
        String description = jobStart.properties() == null ? null : jobStart.properties().getProperty("spark.job.description");
        jobStarted(description);
    }

    @Override public synchronized void onStageSubmitted(SparkListenerStageSubmitted stageSubmitted) {
        stageSubmitted(stageSubmitted.stageInfo().numTasks());
    }

    @Override public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        TaskMetrics m = taskEnd.taskMetrics();  // null for some failures
        taskEnded(taskEnd.reason() == Success$.MODULE$, m == null ? 0 : m.inputMetrics().bytesRead(),
                m == null ? 0 : m.outputMetrics().bytesWritten());
    }

    @Override public synchronized void onJobEnd(SparkListenerJobEnd jobEnd) {
        jobEnded();
    }

    /** A job starts: counting starts again, labelled by the job's description up to its first ':'. */
    public synchronized void jobStarted(String description) {
        label = description == null || description.isBlank() ? "spark" : description.split(":", 2)[0].strip();
        total = 0;
        done = 0;
        failed = 0;
        bytesRead = 0;
        bytesWritten = 0;
        running = true;
        startNanos = clock.getAsLong();
        lastDrawNanos = startNanos;
        drawn = false;
    }

    public synchronized void stageSubmitted(int numTasks) {
        total += numTasks;
        draw(true);
    }

    public synchronized void taskEnded(boolean success) {
        taskEnded(success, 0, 0);
    }

    /** A task attempt ended; the bytes it read and wrote count whether it succeeded or not (they were moved). */
    public synchronized void taskEnded(boolean success, long read, long written) {
        if (success) done++; else failed++;
        bytesRead += Math.max(0, read);
        bytesWritten += Math.max(0, written);
        draw(false);
    }

    public synchronized void jobEnded() {
        running = false;
        if (drawn || total > 0) sink.finish(line());
        drawn = false;
    }

    public synchronized String line() {
        return ProgressLine.format(label, done, total, failed, (clock.getAsLong() - startNanos) / 1e9,
                bytesRead, bytesWritten, sink.withElapsed());
    }

    /** The current line while a job with tasks runs, else null: what a periodic log prints. */
    public synchronized String runningLine() {
        return running && total > 0 ? line() : null;
    }

    private void draw(boolean force) {
        long now = clock.getAsLong();
        if (!force && now - lastDrawNanos < minIntervalNanos) return;
        lastDrawNanos = now;
        drawn = true;
        sink.update(line());
    }
}
