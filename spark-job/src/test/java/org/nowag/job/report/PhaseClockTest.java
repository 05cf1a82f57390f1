package org.nowag.job.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nowag.job.api.CompressionReport;

class PhaseClockTest {
    /** A clock that moves 1.5 s every time it is read. */
    static final class Steps extends Clock {
        Instant now = Instant.parse("2026-12-06T05:00:00Z");

        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() {
            Instant t = now;
            now = now.plusMillis(1500);
            return t;
        }
    }

    @Test
    void phasesFollowEachOtherWithTheirOwnStartEndAndSeconds() {
        PhaseClock c = new PhaseClock(new Steps());
        assertEquals("2026-12-06T05:00:00Z", c.started());
        c.begin("plan");
        c.begin("compute");
        c.end();
        c.end();
        c.begin("publish");
        List<CompressionReport.Phase> p = c.finish();
        assertEquals(List.of("plan", "compute", "publish"), p.stream().map(x -> x.name).toList());
        assertEquals("2026-12-06T05:00:01.500Z", p.get(0).started);  // the constructor read 05:00:00
        assertEquals("2026-12-06T05:00:03Z", p.get(0).finished);
        assertEquals(1.5, p.get(0).seconds, 1e-12);
        assertEquals(p.get(0).finished, p.get(1).started, "the next phase starts when the last one ends");
        assertEquals(3, c.finish().size(), "finishing twice adds nothing");
    }
}
