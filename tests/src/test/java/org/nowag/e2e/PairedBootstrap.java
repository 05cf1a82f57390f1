package org.nowag.e2e;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Paired bootstrap of a mean difference: two methods scored on the same chunks, chunks resampled with replacement
 * (the same draw for both methods), percentile interval of mean(a - b). Seeded, so a printed interval is
 * reproducible.
 */
final class PairedBootstrap {
    final double meanDifference;
    final double low;
    final double high;
    /** Chunks where a scored higher than b. */
    final int aWins;
    final int n;

    private PairedBootstrap(double meanDifference, double low, double high, int aWins, int n) {
        this.meanDifference = meanDifference;
        this.low = low;
        this.high = high;
        this.aWins = aWins;
        this.n = n;
    }

    /** 95% percentile interval from resamples draws. */
    static PairedBootstrap of(List<Double> a, List<Double> b, int resamples, long seed) {
        if (a.size() != b.size() || a.isEmpty()) throw new IllegalArgumentException("need two equal, non-empty lists");
        int n = a.size();
        double[] d = new double[n];
        double sum = 0;
        int wins = 0;
        for (int i = 0; i < n; i++) {
            d[i] = a.get(i) - b.get(i);
            sum += d[i];
            if (d[i] > 0) wins++;
        }
        Random random = new Random(seed);
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += d[random.nextInt(n)];
            means[r] = s / n;
        }
        Arrays.sort(means);
        return new PairedBootstrap(sum / n, means[(int) Math.floor(0.025 * (resamples - 1))],
                means[(int) Math.ceil(0.975 * (resamples - 1))], wins, n);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%+.4f [95%% CI %+.4f, %+.4f], higher on %d of %d chunks",
                meanDifference, low, high, aWins, n);
    }
}
