package org.nowag.job.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {

    /** Windows of 1..12 tokens, each token with its own NLL under A and under B (B a noisy, slightly worse A). */
    private static final class Windows {
        final List<double[]> a = new ArrayList<>();
        final List<double[]> b = new ArrayList<>();

        Windows(int n, long seed, double worse) {
            Random rnd = new Random(seed);
            for (int w = 0; w < n; w++) {
                int len = 1 + rnd.nextInt(12);
                double[] x = new double[len];
                double[] y = new double[len];
                for (int t = 0; t < len; t++) {
                    x[t] = 0.5 + 4 * rnd.nextDouble();
                    y[t] = x[t] + worse + 0.3 * rnd.nextGaussian();
                }
                a.add(x);
                b.add(y);
            }
        }

        long[] tokens() { return a.stream().mapToLong(x -> x.length).toArray(); }

        static double[] sums(List<double[]> ws) {
            return ws.stream().mapToDouble(x -> { double s = 0; for (double v : x) s += v; return s; }).toArray();
        }
    }

    /**
     * The slow, obvious reading: draw the windows (the class's documented draw), lay every drawn window's tokens out
     * in one list per model, perplexity = exp(mean over that list), sort the B differences, read the percentiles off.
     */
    private static double[] reference(Windows w, int resamples, long seed, double level) {
        int n = w.a.size();
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Double> diffs = new ArrayList<>();
        for (int r = 0; r < resamples; r++) {
            List<Double> ta = new ArrayList<>();
            List<Double> tb = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                int i = rnd.nextInt(n);
                for (double v : w.a.get(i)) ta.add(v);
                for (double v : w.b.get(i)) tb.add(v);
            }
            diffs.add(Math.exp(mean(tb)) - Math.exp(mean(ta)));
        }
        Collections.sort(diffs);
        double alpha = (1 - level) / 2;
        return new double[] {percentile(diffs, alpha), percentile(diffs, 1 - alpha)};
    }

    private static double mean(List<Double> v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.size();
    }

    /** numpy's default: position q (N - 1) between the order statistics, linearly. */
    private static double percentile(List<Double> sorted, double q) {
        double pos = q * (sorted.size() - 1);
        int lo = (int) pos;
        if (lo == sorted.size() - 1) return sorted.get(lo);
        return sorted.get(lo) * (1 - (pos - lo)) + sorted.get(lo + 1) * (pos - lo);
    }

    @Test
    void intervalEqualsTheSlowReference() {
        for (long seed : new long[] {1, 2, 3}) {
            Windows w = new Windows(40, seed, 0.05);
            PairedBootstrap.Result r = PairedBootstrap.compare(w.tokens(), Windows.sums(w.a), Windows.sums(w.b), 500, seed, 0.95);
            double[] ref = reference(w, 500, seed, 0.95);
            assertEquals(ref[0], r.perplexityDifference.low, 1e-9 * Math.abs(ref[0]) + 1e-12, "seed " + seed);
            assertEquals(ref[1], r.perplexityDifference.high, 1e-9 * Math.abs(ref[1]) + 1e-12, "seed " + seed);
            List<Double> all = new ArrayList<>();
            List<Double> allB = new ArrayList<>();
            for (double[] x : w.a) for (double v : x) all.add(v);
            for (double[] x : w.b) for (double v : x) allB.add(v);
            assertEquals(Math.exp(mean(all)), r.perplexityA, 1e-9 * r.perplexityA);
            assertEquals(Math.exp(mean(allB)) - Math.exp(mean(all)), r.perplexityDifference.estimate, 1e-9);
            assertEquals(all.size(), r.tokens);
            assertEquals(40, r.windows);
            // the ratio's interval is the mean-NLL one through exp
            assertEquals(Math.exp(r.meanNllDifference.low), r.perplexityRatio.low, 0.0);
            assertEquals(r.perplexityB / r.perplexityA, r.perplexityRatio.estimate, 1e-12);
        }
    }

    @Test
    void identicalModelsGiveTheZeroInterval() {
        Windows w = new Windows(30, 7, 0);
        double[] s = Windows.sums(w.a);
        PairedBootstrap.Result r = PairedBootstrap.compare(w.tokens(), s, s.clone());
        for (PairedBootstrap.Interval i : new PairedBootstrap.Interval[] {r.perplexityDifference, r.meanNllDifference}) {
            assertEquals(0.0, i.estimate, 0.0);
            assertEquals(0.0, i.low, 0.0);
            assertEquals(0.0, i.high, 0.0);
        }
        assertEquals(1.0, r.perplexityRatio.low, 0.0);
        assertEquals(1.0, r.perplexityRatio.high, 0.0);
        assertFalse(r.perplexityDifference.excludes(0));
    }

    @Test
    void aConstantShiftPerTokenIsThatShiftInEveryResample() {
        Windows w = new Windows(30, 8, 0);
        long[] tokens = w.tokens();
        double[] a = Windows.sums(w.a);
        double[] b = new double[a.length];
        double shift = 0.125;
        for (int i = 0; i < a.length; i++) b[i] = a[i] + shift * tokens[i];
        PairedBootstrap.Result r = PairedBootstrap.compare(tokens, a, b);
        assertEquals(shift, r.meanNllDifference.estimate, 1e-12);
        assertEquals(shift, r.meanNllDifference.low, 1e-12);
        assertEquals(shift, r.meanNllDifference.high, 1e-12);
        assertEquals(Math.exp(shift), r.perplexityRatio.low, 1e-12);
        assertTrue(r.perplexityDifference.low > 0, r.perplexityDifference.toString());
    }

    @Test
    void aClearlyWorseModelIsResolvedAndSwappingNegates() {
        Windows w = new Windows(60, 9, 0.2);
        long[] t = w.tokens();
        double[] a = Windows.sums(w.a);
        double[] b = Windows.sums(w.b);
        PairedBootstrap.Result ab = PairedBootstrap.compare(t, a, b);
        PairedBootstrap.Result ba = PairedBootstrap.compare(t, b, a);
        assertTrue(ab.perplexityDifference.excludes(0) && ab.perplexityDifference.low > 0, ab.perplexityDifference.toString());
        assertTrue(ab.perplexityDifference.low <= ab.perplexityDifference.estimate && ab.perplexityDifference.estimate <= ab.perplexityDifference.high);
        assertEquals(-ab.meanNllDifference.high, ba.meanNllDifference.low, 1e-12);
        assertEquals(-ab.meanNllDifference.low, ba.meanNllDifference.high, 1e-12);
        // the same seed gives the same interval; another seed a different one
        assertEquals(ab.perplexityDifference.low, PairedBootstrap.compare(t, a, b).perplexityDifference.low, 0.0);
        assertTrue(ab.perplexityDifference.low != PairedBootstrap.compare(t, a, b, 2000, 14, 0.95).perplexityDifference.low);
    }

    @Test
    void quantileInterpolatesLikeNumpy() {
        double[] v = {1, 2, 3, 4};
        assertEquals(1.75, PairedBootstrap.quantile(v, 0.25), 1e-15);
        assertEquals(1.0, PairedBootstrap.quantile(v, 0), 0.0);
        assertEquals(4.0, PairedBootstrap.quantile(v, 1), 0.0);
    }

    @Test
    void evaluationsOfDifferentWindowsOrWithoutThemAreRefused() {
        Evaluation a = evaluation(new long[] {5, 3}, new double[] {5, 3});
        Evaluation b = evaluation(new long[] {5, 4}, new double[] {5, 4});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairedBootstrap.between(a, b, "a.json", "b.json", 100, 1, 0.95));
        assertTrue(e.getMessage().contains("did not score the same windows"), e.getMessage());
        b.windowTokens = null;
        e = assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.between(a, b, "a.json", "b.json", 100, 1, 0.95));
        assertTrue(e.getMessage().startsWith("b.json has no per-window losses"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.compare(new long[0], new double[0], new double[0]));
        assertEquals(0.0, PairedBootstrap.between(a, a, "a", "a", 100, 1, 0.95).perplexityDifference.high, 0.0);
    }

    private static Evaluation evaluation(long[] tokens, double[] nll) {
        Evaluation e = new Evaluation();
        e.kind = "causal-lm";
        e.context = 8;
        e.stride = 4;
        e.windowTokens = tokens;
        e.tokensScored = java.util.Arrays.stream(tokens).sum();
        e.originalWindowNll = nll;
        e.comparedWindowNll = nll;
        return e;
    }
}
