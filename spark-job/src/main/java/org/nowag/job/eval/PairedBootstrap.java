package org.nowag.job.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Paired bootstrap of the perplexity difference between two models scored on the same windows: B resamples of the
 * windows with replacement (the same draw for both models, which is what pairs them), each giving both models'
 * perplexity exp(sum NLL / sum tokens) over the drawn windows; the percentile interval of B's minus A's. Windows
 * are the unit because tokens within a window share context and are not independent. Deterministic: the draw is
 * {@code new SplittableRandom(seed)}, n calls of {@code nextInt(n)} per resample, resample after resample.
 * Pure arithmetic on the driver; the per-window sums come from {@code evaluate} ({@link Evaluation#windowTokens}).
 */
public final class PairedBootstrap {
    public static final int DEFAULT_RESAMPLES = 2000;
    public static final long DEFAULT_SEED = 13;
    public static final double DEFAULT_LEVEL = 0.95;

    private PairedBootstrap() {}

    /** A point estimate on all windows and its percentile interval (public fields: written as they are to JSON). */
    public static final class Interval {
        public double estimate;
        public double low;
        public double high;

        public Interval() { }

        Interval(double estimate, double low, double high) {
            this.estimate = estimate;
            this.low = low;
            this.high = high;
        }

        /** Whether the interval leaves out 0 (or 1 for a ratio): the difference is resolved at this level. */
        public boolean excludes(double value) { return value < low || value > high; }

        @Override
        public String toString() { return estimate + " [" + low + ", " + high + "]"; }
    }

    /** B minus A, three ways; the ratio's interval is exp of the mean-NLL one (the percentile interval is monotone-invariant). */
    public static final class Result {
        public int windows;
        public long tokens;
        public int resamples;
        public long seed;
        public double level;
        public double perplexityA;
        public double perplexityB;
        /** ppl(B) - ppl(A). */
        public Interval perplexityDifference;
        /** ppl(B) / ppl(A). */
        public Interval perplexityRatio;
        /** meanNll(B) - meanNll(A), nats per token. */
        public Interval meanNllDifference;
    }

    /**
     * @param tokens tokens scored by each window (the same windows for both models)
     * @param nllA   model A's summed NLL per window
     * @param nllB   model B's summed NLL per window
     */
    public static Result compare(long[] tokens, double[] nllA, double[] nllB, int resamples, long seed, double level) {
        int n = tokens.length;
        if (n == 0) throw new IllegalArgumentException("no windows to resample");
        if (nllA.length != n || nllB.length != n) {
            throw new IllegalArgumentException("per-window arrays differ in length: " + n + " token counts, " + nllA.length
                    + " and " + nllB.length + " NLL sums");
        }
        if (resamples < 1) throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        long total = 0;
        double sumA = 0;
        double sumB = 0;
        for (int i = 0; i < n; i++) {
            if (tokens[i] < 0) throw new IllegalArgumentException("window " + i + " scores " + tokens[i] + " tokens");
            total += tokens[i];
            sumA += nllA[i];
            sumB += nllB[i];
        }
        if (total == 0) throw new IllegalArgumentException("the windows score no tokens");

        double[] dNll = new double[resamples];
        double[] dPpl = new double[resamples];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int b = 0; b < resamples; b++) {
            long t = 0;
            double a = 0;
            double c = 0;
            for (int k = 0; k < n; k++) {
                int i = rnd.nextInt(n);
                t += tokens[i];
                a += nllA[i];
                c += nllB[i];
            }
            if (t == 0) {  // only windows that score nothing were drawn: this resample says nothing
                dNll[b] = Double.NaN;
                dPpl[b] = Double.NaN;
                continue;
            }
            dNll[b] = c / t - a / t;
            dPpl[b] = Math.exp(c / t) - Math.exp(a / t);
        }
        double alpha = (1 - level) / 2;
        Result r = new Result();
        r.windows = n;
        r.tokens = total;
        r.resamples = resamples;
        r.seed = seed;
        r.level = level;
        r.perplexityA = Math.exp(sumA / total);
        r.perplexityB = Math.exp(sumB / total);
        r.meanNllDifference = interval(sumB / total - sumA / total, dNll, alpha);
        r.perplexityDifference = interval(r.perplexityB - r.perplexityA, dPpl, alpha);
        r.perplexityRatio = new Interval(r.perplexityB / r.perplexityA, Math.exp(r.meanNllDifference.low),
                Math.exp(r.meanNllDifference.high));
        return r;
    }

    /** With the defaults: 2000 resamples, seed 13, 95%. */
    public static Result compare(long[] tokens, double[] nllA, double[] nllB) {
        return compare(tokens, nllA, nllB, DEFAULT_RESAMPLES, DEFAULT_SEED, DEFAULT_LEVEL);
    }

    /**
     * The compressed models of two evaluations of the same windows: A is {@code a}'s compared model, B is {@code b}'s.
     * Refuses evaluations of different windows (context, stride or per-window token counts differ) or files written
     * before evaluate kept per-window losses.
     */
    public static Result between(Evaluation a, Evaluation b, String nameA, String nameB, int resamples, long seed, double level) {
        for (Object[] e : new Object[][] {{a, nameA}, {b, nameB}}) {
            Evaluation x = (Evaluation) e[0];
            if (!"causal-lm".equals(x.kind)) throw new IllegalArgumentException(e[1] + " is not a causal-LM evaluation (kind " + x.kind + ")");
            if (x.windowTokens == null || x.comparedWindowNll == null) {
                throw new IllegalArgumentException(e[1] + " has no per-window losses (written by an older evaluate); run evaluate again with a new --out");
            }
        }
        if (!a.context.equals(b.context) || !a.stride.equals(b.stride) || !Arrays.equals(a.windowTokens, b.windowTokens)) {
            throw new IllegalArgumentException(nameA + " and " + nameB + " did not score the same windows (context " + a.context
                    + " vs " + b.context + ", stride " + a.stride + " vs " + b.stride + ", " + a.windowTokens.length + " vs "
                    + b.windowTokens.length + " windows, " + a.tokensScored + " vs " + b.tokensScored + " tokens): evaluate both on the same text with the same settings");
        }
        return compare(a.windowTokens, a.comparedWindowNll, b.comparedWindowNll, resamples, seed, level);
    }

    /** One evaluation's own pair: A its original model, B its compressed one. */
    public static Result withinOne(Evaluation e, String name, int resamples, long seed, double level) {
        if (e.windowTokens == null || e.originalWindowNll == null || e.comparedWindowNll == null) {
            throw new IllegalArgumentException(name + " has no per-window losses (written by an older evaluate, or an encoder's)");
        }
        return compare(e.windowTokens, e.originalWindowNll, e.comparedWindowNll, resamples, seed, level);
    }

    /** The percentile interval, order statistics interpolated linearly (numpy's default); NaN resamples left out. */
    private static Interval interval(double estimate, double[] values, double alpha) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) throw new IllegalStateException("every resample drew only windows that score no tokens");
        return new Interval(estimate, quantile(v, alpha), quantile(v, 1 - alpha));
    }

    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double frac = pos - lo;
        return frac == 0 ? sorted[lo] : sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
    }
}
