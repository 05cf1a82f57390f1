package org.nowag.job.progress;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Progress for logs (Airflow, Databricks, Kubernetes, CI, redirected output): while a job runs, one whole line every
 * interval, and a closing line for each job that lasted long enough to get one; never a '\r'. Short jobs print
 * nothing, so a log holds one line per interval at most (plus one per long job).
 */
public final class PeriodicLog implements ProgressSink, AutoCloseable {
    private final Consumer<String> out;
    private ProgressListener listener;
    private ScheduledExecutorService timer;
    private boolean printedForThisJob;

    public PeriodicLog(Consumer<String> out) {
        this.out = out;
    }

    /** The listener whose running line {@link #tick()} prints (it draws into this sink: set after both exist). */
    public synchronized void listenTo(ProgressListener source) {
        this.listener = source;
    }

    /** Prints the listener's running line every {@code intervalMillis} on a daemon thread until closed. */
    public void start(ProgressListener source, long intervalMillis) {
        listenTo(source);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nowag-progress-log");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::tick, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** One periodic line, if a job is running. Asks the listener first, outside this sink's lock (it calls finish). */
    public void tick() {
        ProgressListener source;
        synchronized (this) {
            source = listener;
        }
        String line = source.runningLine();
        if (line == null) return;
        synchronized (this) {
            out.accept(line);
            printedForThisJob = true;
        }
    }

    @Override public void update(String line) {
        // A terminal redraws on every task; a log prints on the timer only.
    }

    @Override public synchronized void finish(String line) {
        if (printedForThisJob) out.accept(line);
        printedForThisJob = false;
    }

    @Override public boolean withElapsed() {
        return true;
    }

    @Override public void close() {
        if (timer != null) timer.shutdownNow();
    }
}
