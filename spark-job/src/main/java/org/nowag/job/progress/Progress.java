package org.nowag.job.progress;

import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Attaches progress to a SparkContext for the length of a command: on an interactive terminal (System.console() !=
 * null) a live line redrawn in place; otherwise (Airflow, Databricks, Kubernetes, CI, output redirected) a whole line
 * in the log every {@value #INTERVAL_KEY} seconds (default {@value #DEFAULT_INTERVAL_SECONDS}; 0 turns it off), so no
 * '\r' ends up in a log file.
 */
public final class Progress implements AutoCloseable {
    /** Spark setting: seconds between progress lines in logs (--conf, spark-defaults, or -D under java -jar). */
    public static final String INTERVAL_KEY = "spark.nowag.progress.interval";
    public static final String DEFAULT_INTERVAL_SECONDS = "30";

    private final SparkContext spark;
    private final ProgressListener listener;
    private final PeriodicLog log;

    private Progress(SparkContext spark, ProgressListener listener, PeriodicLog log) {
        this.spark = spark;
        this.listener = listener;
        this.log = log;
    }

    /** A live line on a terminal, else a line in the log every interval; {@code logLine} prints a log line. */
    public static Progress forCommand(JavaSparkContext spark, java.util.function.Consumer<String> logLine) {
        if (System.console() != null) return onTerminal(spark);
        return inLog(spark.sc(), logLine, intervalMillis(spark.sc().conf().get(INTERVAL_KEY, DEFAULT_INTERVAL_SECONDS)));
    }

    /** Periodic lines into {@code logLine} every {@code intervalMillis} (0: none). */
    public static Progress inLog(SparkContext spark, java.util.function.Consumer<String> logLine, long intervalMillis) {
        if (intervalMillis <= 0) return new Progress(null, null, null);
        PeriodicLog log = new PeriodicLog(logLine);
        ProgressListener listener = new ProgressListener(log, System::nanoTime, ProgressListener.DEFAULT_INTERVAL_NANOS);
        log.start(listener, intervalMillis);
        spark.addSparkListener(listener);
        return new Progress(spark, listener, log);
    }

    /** Seconds (a decimal number) as milliseconds; a clear message for anything else. */
    public static long intervalMillis(String seconds) {
        try {
            double s = Double.parseDouble(seconds.strip());
            if (s >= 0 && !Double.isInfinite(s)) return Math.round(s * 1000);
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(INTERVAL_KEY + "=" + seconds + ": give the seconds between progress lines "
                + "in logs as a number >= 0 (0 turns them off)");
    }

    /** A live line on stderr when interactive, else nothing. Close it when the command ends. */
    public static Progress onTerminal(JavaSparkContext spark) {
        if (System.console() == null) return new Progress(null, null, null);
        return attach(spark.sc(), new TerminalLine(System.err));
    }

    /** Draws every job's progress into the sink until closed. */
    public static Progress attach(SparkContext spark, ProgressSink sink) {
        ProgressListener listener = new ProgressListener(sink, System::nanoTime, ProgressListener.DEFAULT_INTERVAL_NANOS);
        spark.addSparkListener(listener);
        return new Progress(spark, listener, null);
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
        if (log != null) log.close();
    }
}
