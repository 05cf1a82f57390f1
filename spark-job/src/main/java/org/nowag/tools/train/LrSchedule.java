package org.nowag.tools.train;

/** Linear warm-up from 0 to the peak over the first steps, then cosine decay to peak * minRatio at the last step. */
public record LrSchedule(double peak, int warmupSteps, int totalSteps, double minRatio) {
    public LrSchedule {
        if (!(peak > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + peak);
        if (totalSteps <= 0) throw new IllegalArgumentException("--steps must be > 0, got " + totalSteps);
        if (warmupSteps < 0 || warmupSteps >= totalSteps) {
            throw new IllegalArgumentException("--warmup must be in 0.." + (totalSteps - 1) + ", got " + warmupSteps);
        }
        if (minRatio < 0 || minRatio > 1) throw new IllegalArgumentException("--min-lr-ratio must be in [0, 1], got " + minRatio);
    }

    /** The learning rate of step s (1-based). */
    public double at(int step) {
        if (step <= warmupSteps) return peak * step / warmupSteps;
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        double min = peak * minRatio;
        return min + (peak - min) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, progress)));
    }
}
