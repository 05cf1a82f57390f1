package org.nowag.job.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The listener's counting and drawing, fed events by hand with a hand-moved clock (no sleeping, no wall time). */
class ProgressListenerTest {
    long now;
    final List<String> updates = new ArrayList<>();
    final List<String> finished = new ArrayList<>();
    final ProgressSink sink = new ProgressSink() {
        @Override public void update(String line) { updates.add(line); }
        @Override public void finish(String line) { finished.add(line); }
    };
    final ProgressListener listener = new ProgressListener(sink, () -> now, 1_000_000_000L);

    @Test
    void countsSuccessfulTasksOfAllStagesOfTheJobUnderItsDescription() {
        listener.jobStarted("nowag compress: nowag-p on 4 blocks");
        listener.stageSubmitted(4);
        for (int i = 0; i < 4; i++) {
            now += 2_000_000_000L;
            listener.taskEnded(true);
        }
        listener.jobEnded();
        assertEquals("nowag compress: 0/4 tasks (0%), -- tasks/s, ETA --", updates.get(0));
        assertEquals("nowag compress: 1/4 tasks (25%), 0.50 tasks/s, ETA 6s", updates.get(1));
        assertEquals(List.of("nowag compress: 4/4 tasks (100%), 0.50 tasks/s, ETA 0s"), finished);
    }

    @Test
    void updatesAreThrottledToTheIntervalButStagesAndJobEndsAlwaysDraw() {
        listener.jobStarted("nowag write shards: 3");
        listener.stageSubmitted(10);
        for (int i = 0; i < 10; i++) {
            now += 100_000_000L;  // 10 tasks in 1 s: one update in between at most
            listener.taskEnded(true);
        }
        assertEquals(2, updates.size(), updates.toString());
        assertEquals("nowag write shards: 10/10 tasks (100%), 10 tasks/s, ETA 0s", updates.get(1));
        listener.jobEnded();
        assertEquals(1, finished.size());
    }

    @Test
    void failedAttemptsAreCountedApartFromDoneTasks() {
        listener.jobStarted(null);
        listener.stageSubmitted(2);
        now += 2_000_000_000L;
        listener.taskEnded(false);
        now += 2_000_000_000L;
        listener.taskEnded(true);
        listener.jobEnded();
        assertEquals(List.of("spark: 1/2 tasks (50%), 0.25 tasks/s, ETA 4s, 1 failed attempt (retried)"), finished);
    }

    @Test
    void eachJobStartsANewCountAndAJobWithoutTasksDrawsNothing() {
        listener.jobStarted("a: first");
        listener.stageSubmitted(1);
        now += 1_000_000_000L;
        listener.taskEnded(true);
        listener.jobEnded();
        listener.jobStarted("b: second");
        listener.jobEnded();
        listener.jobStarted("c: third");
        listener.stageSubmitted(2);
        listener.jobEnded();
        assertEquals(List.of("a: 1/1 tasks (100%), 1.00 tasks/s, ETA 0s", "c: 0/2 tasks (0%), -- tasks/s, ETA --"), finished);
        assertTrue(updates.stream().noneMatch(l -> l.startsWith("b")));
    }

    @Test
    void bytesOfEveryEndedAttemptAreSummedAndStartAgainWithTheNextJob() {
        listener.jobStarted("nowag compress: 2");
        listener.stageSubmitted(2);
        now += 1_000_000_000L;
        listener.taskEnded(true, 3_000_000, 1_000_000);
        now += 1_000_000_000L;
        listener.taskEnded(false, 500_000, 0);   // a failed attempt read bytes too
        now += 1_000_000_000L;
        listener.taskEnded(true, 3_000_000, 1_000_000);
        listener.jobEnded();
        assertEquals(List.of("nowag compress: 2/2 tasks (100%), 0.67 tasks/s, 6.50 MB read, 2.00 MB written, ETA 0s, "
                + "1 failed attempt (retried)"), finished);
        listener.jobStarted("next: 1");
        listener.stageSubmitted(1);
        assertEquals("next: 0/1 tasks (0%), -- tasks/s, ETA --", listener.line());
    }

    @Test
    void aLogGetsALineOnEveryTickWhileAJobRunsAndAClosingLineOnlyForJobsThatGotOne() {
        List<String> log = new ArrayList<>();
        PeriodicLog periodic = new PeriodicLog(log::add);
        ProgressListener logged = new ProgressListener(periodic, () -> now, 1_000_000_000L);
        periodic.listenTo(logged);

        periodic.tick();                                   // no job: nothing
        logged.jobStarted("nowag calibrate: 4 partitions");
        logged.stageSubmitted(4);
        now += 30_000_000_000L;
        logged.taskEnded(true, 2_000_000, 0);
        periodic.tick();
        now += 30_000_000_000L;
        periodic.tick();
        logged.taskEnded(true, 2_000_000, 0);              // task ends draw nothing into a log
        now += 60_000_000_000L;
        logged.taskEnded(true, 2_000_000, 0);
        logged.taskEnded(true, 2_000_000, 0);
        logged.jobEnded();
        periodic.tick();                                   // between jobs: nothing
        logged.jobStarted("nowag write shards: 1");        // a short job: no tick, so no closing line
        logged.stageSubmitted(1);
        logged.taskEnded(true, 0, 9_000_000);
        logged.jobEnded();

        assertEquals(List.of(
                "nowag calibrate: 1/4 tasks (25%), 0.03 tasks/s, 2.00 MB read, 30s elapsed, ETA 1m30s",
                "nowag calibrate: 1/4 tasks (25%), 0.02 tasks/s, 2.00 MB read, 1m00s elapsed, ETA 3m00s",
                "nowag calibrate: 4/4 tasks (100%), 0.03 tasks/s, 8.00 MB read, 2m00s elapsed, ETA 0s"), log);
        assertTrue(log.stream().noneMatch(l -> l.contains("\r")));
    }
}
