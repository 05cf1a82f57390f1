package org.nowag.job.progress;

import java.util.Locale;

/**
 * Formats one progress line: "nowag compress: 12/36 tasks (33%), 3.4 tasks/s, 1.21 GB read, 604 MB written, ETA 7s".
 * Pure, so it is tested alone.
 */
public final class ProgressLine {
    private ProgressLine() {}

    /**
     * @param label what runs (the Spark job's description up to its first ':'), never null
     * @param failed task attempts that failed so far (Spark retries them); shown only when non-zero
     * @param elapsedSeconds since the job started; the rate and ETA are unknown ("--") until a task finished
     */
    public static String format(String label, long done, long total, long failed, double elapsedSeconds) {
        return format(label, done, total, failed, elapsedSeconds, 0, 0, false);
    }

    /**
     * The same with the bytes the finished tasks read and wrote (each shown when non-zero) and, for log files where
     * lines are far apart, the time since the job started.
     */
    public static String format(String label, long done, long total, long failed, double elapsedSeconds,
                                long bytesRead, long bytesWritten, boolean withElapsed) {
        StringBuilder s = new StringBuilder(label).append(": ").append(done).append('/').append(total).append(" tasks");
        if (total > 0) s.append(" (").append(Math.min(100, done * 100 / total)).append("%)");
        String eta = "--";
        if (done > 0 && elapsedSeconds > 0) {
            double rate = done / elapsedSeconds;
            s.append(", ").append(String.format(Locale.ROOT, rate >= 10 ? "%.0f" : "%.2f", rate)).append(" tasks/s");
            eta = done >= total ? "0s" : duration((total - done) / rate);
        } else {
            s.append(", -- tasks/s");
        }
        if (bytesRead > 0) s.append(", ").append(bytes(bytesRead)).append(" read");
        if (bytesWritten > 0) s.append(", ").append(bytes(bytesWritten)).append(" written");
        if (withElapsed) s.append(", ").append(duration(elapsedSeconds)).append(" elapsed");
        s.append(", ETA ").append(eta);
        if (failed > 0) s.append(", ").append(failed).append(failed == 1 ? " failed attempt" : " failed attempts").append(" (retried)");
        return s.toString();
    }

    /** 512 B, 12.3 kB, 123 MB, 1.21 GB: three significant digits, decimal units (as inspect prints GB). */
    public static String bytes(long n) {
        if (n < 1000) return n + " B";
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double v = n;
        int u = -1;
        while (v >= 999.5 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v >= 99.95 ? "%.0f %s" : v >= 9.995 ? "%.1f %s" : "%.2f %s", v, units[u]);
    }

    /** 7s, 3m05s, 2h04m: short enough for a terminal line, rounded up so an ETA never reads 0 before the end. */
    public static String duration(double seconds) {
        long s = (long) Math.ceil(Math.max(0, seconds));
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
