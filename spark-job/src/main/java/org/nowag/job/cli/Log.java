package org.nowag.job.cli;

/** Progress lines on stderr, so stdout stays for results. */
final class Log {
    private Log() {}

    static void info(String line) {
        System.err.println("[nowag] " + line);
    }
}
