package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** What a user must see when a command refuses its input: the exit code, one error line naming the problem, no trace. */
final class Refusals {
    private Refusals() {}

    /** A stack trace line, in our output or in a log line (Spark prints a failed task's trace inside its warning). */
    static boolean hasStackTrace(String text) {
        return text.lines().anyMatch(l -> l.matches("\\s+at [\\w$.]+\\(.*\\)") || l.startsWith("Caused by: ")
                || l.contains("Exception in thread"));
    }

    /**
     * The run exited with {@code code}, wrote nothing to stdout, printed no stack trace, and its error (stderr from
     * the first "nowag:" line on: one line, or a first line and an indented list such as the tensors holding NaN)
     * holds every fragment; nothing exists at any of {@code untouched}.
     */
    static String assertRefused(CliAndCalibrationTest.Run run, int code, String[] fragments, Path... untouched) {
        String where = "stdout: " + run.out + "\nstderr: " + run.err;
        assertEquals(code, run.code, where);
        assertEquals("", run.out, "nothing on stdout on a refusal: " + where);
        assertFalse(hasStackTrace(run.err), "no stack trace without --verbose: " + run.err);
        int at = run.err.indexOf("nowag:");
        String line = at < 0 ? "" : run.err.substring(at);
        for (String f : fragments) assertTrue(line.contains(f), "'" + f + "' not in the error line: " + run.err);
        for (Path p : untouched) assertFalse(Files.exists(p), p + " must not be written: " + where);
        return line;
    }
}
