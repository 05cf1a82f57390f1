package org.nowag.job.progress;

import java.util.Locale;

/** Formats one progress line: "nowag compress: 12/36 tasks (33%), 3.4 tasks/s, ETA 7s". Pure, so it is tested alone. */
public final class ProgressLine {
    private ProgressLine() {}

    /**
     * @param label what runs (the Spark job's description up to its first ':'), never null
     * @param failed task attempts that failed so far (Spark retries them); shown only when non-zero
     * @param elapsedSeconds since the job started; the rate and ETA are unknown ("--") until a task finished
     */
    public static String format(String label, long done, long total, long failed, double elapsedSeconds) {
        StringBuilder s = new StringBuilder(label).append(": ").append(done).append('/').append(total).append(" tasks");
        if (total > 0) s.append(" (").append(Math.min(100, done * 100 / total)).append("%)");
        if (done > 0 && elapsedSeconds > 0) {
            double rate = done / elapsedSeconds;
            s.append(", ").append(String.format(Locale.ROOT, rate >= 10 ? "%.0f" : "%.2f", rate)).append(" tasks/s");
            s.append(", ETA ").append(done >= total ? "0s" : duration((total - done) / rate));
        } else {
            s.append(", -- tasks/s, ETA --");
        }
        if (failed > 0) s.append(", ").append(failed).append(failed == 1 ? " failed attempt" : " failed attempts").append(" (retried)");
        return s.toString();
    }

    /** 7s, 3m05s, 2h04m: short enough for a terminal line, rounded up so an ETA never reads 0 before the end. */
    public static String duration(double seconds) {
        long s = (long) Math.ceil(Math.max(0, seconds));
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
