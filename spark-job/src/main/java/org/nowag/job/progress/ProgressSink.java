package org.nowag.job.progress;

/** Where progress lines go: a live terminal line, a log every N seconds, or a list in tests. */
public interface ProgressSink {
    /** The current state; replaces the previous line. */
    void update(String line);

    /** The last state of a job; the next update starts a new line. */
    void finish(String line);

    /** Whether lines say how long the job has run (logs, where lines are far apart), not only its ETA. */
    default boolean withElapsed() {
        return false;
    }
}
