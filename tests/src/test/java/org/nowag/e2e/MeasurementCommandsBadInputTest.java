package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mem-check --run and bench refuse bad specs and caps with a message that names them, before writing anything: exit 2,
 * bad usage, since no input could make them right; bench-vq refuses a bad thread or repeat count before it measures.
 */
class MeasurementCommandsBadInputTest {
    @TempDir
    Path dir;

    @Test
    void memCheckRefusesMalformedRunSpecsBeforeCreatingItsDirectory() {
        String[][] cases = {
                {"sparsegpt,28672x8192", "expected METHOD,ROWSxCOLS,XMX"},
                {"sparsegpt,28672by8192,4g", "shape '28672by8192' is not ROWSxCOLS"},
                {"sparsegpt,0x8192,4g", "must be positive"},
                {"armor,64x64,lots", "heap 'lots' is not a size"},
                {"armor,64x64,16m", "below 64 MiB"},
                {"bogus,64x64,1g", "bogus"},
        };
        for (String[] c : cases) {
            Path scratch = dir.resolve("mem");
            CliAndCalibrationTest.Run run = CliAndCalibrationTest.cli("mem-check", "--dir", scratch.toString(), "--run", c[0]);
            assertEquals(2, run.code, c[0] + ": " + run.err);
            assertTrue(run.err.contains(c[1]), c[0] + " -> " + run.err);
            assertFalse(Files.exists(scratch), "nothing written for " + c[0]);
        }
    }

    @Test
    void benchRefusesBadIterationCapsAndUnknownMethodsBeforeGeneratingTheModel() {
        String[][] cases = {
                {"--vq-iters", "0", "--vq-iters 0 must be >= 1"},
                {"--armor-iters", "-1", "--armor-iters -1 must be >= 1"},
                {"--methods", "nowag-p,bogus", "bogus"},
                {"--repeat", "0", "--repeat 0 must be >= 1"},
                {"--warm-up", "-1", "--warm-up -1 must be >= 0"},
        };
        for (String[] c : cases) {
            Path scratch = dir.resolve("bench");
            CliAndCalibrationTest.Run run = CliAndCalibrationTest.cli("bench", "--dir", scratch.toString(), c[0], c[1]);
            assertEquals(2, run.code, String.join(" ", c) + ": " + run.err);
            assertTrue(run.err.contains(c[2]), String.join(" ", c) + " -> " + run.err);
            assertFalse(Files.exists(scratch), "nothing written for " + String.join(" ", c));
        }
    }

    @Test
    void benchVqRefusesZeroThreadsOrRepeatsBeforeMeasuring() {
        String[][] cases = {
                {"--threads", "0", "--threads 0: must be at least 1"},
                {"--repeats", "0", "--repeats 0: must be at least 1"},
        };
        for (String[] c : cases) {
            CliAndCalibrationTest.Run run = CliAndCalibrationTest.cli("bench-vq", "--skip-whole", c[0], c[1]);
            assertEquals(2, run.code, String.join(" ", c) + ": " + run.err);
            assertTrue(run.err.contains(c[2]), String.join(" ", c) + " -> " + run.err);
            assertFalse(run.out.contains("GEMM peak"), "nothing measured for " + String.join(" ", c));
        }
    }

    @Test
    void aScratchDirectoryThatIsARegularFileIsRefusedNamingTheOption() throws java.io.IOException {
        Path file = Files.writeString(dir.resolve("occupied"), "keep");
        for (String command : new String[] {"bench", "mem-check", "scale-proof"}) {
            CliAndCalibrationTest.Run run = CliAndCalibrationTest.cli(command, "--dir", file.toString());
            Refusals.assertRefused(run, 1, new String[] {"--dir", "occupied", "is a regular file"});
        }
        assertEquals("keep", Files.readString(file));
    }

    @Test
    void benchShapesThatAreNotRowsByColsAreBadUsage() {
        for (String command : new String[] {"bench-vq", "bench-armor"}) {
            CliAndCalibrationTest.Run run = CliAndCalibrationTest.cli(command, "--shapes", "4096by4096");
            assertEquals(2, run.code, run.err);
            assertTrue(run.err.contains("--shapes '4096by4096'"), run.err);
        }
    }
}
