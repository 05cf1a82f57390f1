package org.nowag.job.progress;

/** Where progress lines go: a live terminal line, or a list in tests. */
public interface ProgressSink {
    /** The current state; replaces the previous line. */
    void update(String line);

    /** The last state of a job; the next update starts a new line. */
    void finish(String line);
}
