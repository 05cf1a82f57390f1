package org.nowag.job.progress;

import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Attaches a live progress line to a SparkContext for the length of a command. Only on an interactive terminal
 * (System.console() != null): in logs, CI, Airflow or notebooks it does nothing, so no '\r' ends up in a log file.
 */
public final class Progress implements AutoCloseable {
    private final SparkContext spark;
    private final ProgressListener listener;

    private Progress(SparkContext spark, ProgressListener listener) {
        this.spark = spark;
        this.listener = listener;
    }

    /** A live line on stderr when interactive, else nothing. Close it when the command ends. */
    public static Progress onTerminal(JavaSparkContext spark) {
        if (System.console() == null) return new Progress(null, null);
        return attach(spark.sc(), new TerminalLine(System.err));
    }

    /** Draws every job's progress into the sink until closed. */
    public static Progress attach(SparkContext spark, ProgressSink sink) {
        ProgressListener listener = new ProgressListener(sink, System::nanoTime, ProgressListener.DEFAULT_INTERVAL_NANOS);
        spark.addSparkListener(listener);
        return new Progress(spark, listener);
    }

    public boolean active() {
        return listener != null;
    }

    @Override public void close() {
        if (listener == null) return;
        try {
            // Let the listener see the last job's end, so its line is finished before the command prints results.
            spark.listenerBus().waitUntilEmpty(2000);
        } catch (java.util.concurrent.TimeoutException e) {
            // A busy bus only costs the last line; the command's results matter more.
        }
        spark.removeSparkListener(listener);
    }
}
