package org.nowag.job.cli;

/** Progress lines on stderr, so stdout stays for results. */
public final class Log {
    private Log() {}

    public static void info(String line) {
        System.err.println("[nowag] " + line);
    }
}
