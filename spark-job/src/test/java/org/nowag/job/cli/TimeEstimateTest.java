package org.nowag.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nowag.job.api.CompressionMethod;

class TimeEstimateTest {
    @Test
    void slotsComeFromTheLocalMasterOrTheExecutorSettingsAndAreUnknownOtherwise() {
        assertEquals(1, TimeEstimate.slots("local", 8, null, null, null));
        assertEquals(3, TimeEstimate.slots("local[3]", 8, null, null, null));
        assertEquals(3, TimeEstimate.slots("local[3,4]", 8, null, null, null));
        assertEquals(8, TimeEstimate.slots("local[*]", 8, null, null, null));
        assertEquals(16, TimeEstimate.slots("yarn", 8, "4", "4", null));
        assertEquals(8, TimeEstimate.slots("yarn", 8, "4", "4", "2"));
        assertEquals(0, TimeEstimate.slots("yarn", 8, null, "4", null), "dynamic allocation: unknown");
        assertEquals(0, TimeEstimate.slots("k8s://https://api:443", 8, "4", null, null));
    }

    @Test
    void secondsAreTheMeasuredCoreSecondsPerGbTimesTheModelOverTheSlotsAndPerIterationForVqAndArmor() {
        // magnitude: 9.19 s for 0.967 GB on 2 cores -> 19.0 core-s per GB; 10 GB on 4 slots -> 47.5 s.
        assertEquals(9.19 * 2 / 0.967 * 10 / 4, TimeEstimate.seconds(CompressionMethod.MAGNITUDE, 10_000_000_000L, 4, 99), 1e-9);
        // armor: 88.91 s per iteration for the same model; 3 iterations of 1 GB on 1 slot.
        assertEquals(88.91 * 2 / 0.967 * 3, TimeEstimate.seconds(CompressionMethod.ARMOR, 1_000_000_000L, 1, 3), 1e-9);
        assertEquals(TimeEstimate.seconds(CompressionMethod.WANDA, 5_000_000_000L, 1, 1),
                TimeEstimate.seconds(CompressionMethod.WANDA, 5_000_000_000L, 0, 1), 1e-9, "no slots known: one");
    }
}
