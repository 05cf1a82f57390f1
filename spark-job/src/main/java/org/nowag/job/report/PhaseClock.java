package org.nowag.job.report;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nowag.job.api.CompressionReport;

/**
 * Start and end of a run's phases for report.json: {@link #begin} ends the phase in progress and starts the next,
 * {@link #finish} ends the last. Times are ISO-8601 UTC from the given clock (tests pass a fixed one).
 */
public final class PhaseClock {
    private final Clock clock;
    private final Instant started;
    private final List<CompressionReport.Phase> phases = new ArrayList<>();
    private CompressionReport.Phase current;
    private Instant currentStart;

    public PhaseClock(Clock clock) {
        this.clock = clock;
        this.started = clock.instant();
    }

    public PhaseClock() {
        this(Clock.systemUTC());
    }

    /** Ends the phase in progress, if any, and starts one named name. */
    public void begin(String name) {
        Instant now = clock.instant();
        endAt(now);
        currentStart = now;
        current = new CompressionReport.Phase();
        current.name = name;
        current.started = currentStart.toString();
    }

    /** Ends the phase in progress (nothing when none is). */
    public void end() {
        if (current != null) endAt(clock.instant());
    }

    private void endAt(Instant now) {
        if (current == null) return;
        current.finished = now.toString();
        current.seconds = Duration.between(currentStart, now).toNanos() / 1e9;
        phases.add(current);
        current = null;
    }

    public String started() { return started.toString(); }

    /** Ends the phase in progress and returns every phase in order. */
    public List<CompressionReport.Phase> finish() {
        end();
        return Collections.unmodifiableList(phases);
    }
}
