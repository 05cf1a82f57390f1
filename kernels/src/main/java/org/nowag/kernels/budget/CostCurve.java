package org.nowag.kernels.budget;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What each candidate setting of one matrix costs and loses: points (cost, loss) in strictly ascending cost, where
 * cost is a whole number of budget units (kept weights, or stored bits) and loss the calibrated data-aware loss
 * sum_ij s_j (W - W_hat)_ij^2 (comparable across matrices).
 *
 * <p>A segment between two consecutive points is either <b>fillable</b> (every cost in between that is a whole number
 * of {@link #unit()}s past its start is a valid setting, with the loss linearly interpolated: whole-matrix pruning,
 * where a bin of the importance histogram can be pruned partly, in steps of one kept weight, or of 32 bits when the
 * cost is counted in bits) or not (only the points are settings: per-row pruning, N:M patterns, VQ bit widths). A point may
 * carry an error bound on its loss (a curve sampled from a histogram), and a fillable segment a spread that bounds
 * the interpolation error inside it: at m units past its start in a segment of c units the true loss is within
 * m (c - m) / c * spread of the interpolated one (see {@link KeyLossHistogram}).
 *
 * <p>Immutable by convention; plain non-final fields and a no-argument constructor so Spark's Kryo can carry it.
 */
public final class CostCurve implements Serializable {
    private static final long serialVersionUID = 1L;

    private String name;
    private long weights;
    private long[] cost;        // [points], strictly ascending, >= 0
    private double[] loss;      // [points], finite
    private double[] pointError; // [points], >= 0: |true loss - loss| at the point
    private boolean[] fillable; // [points - 1]
    private double[] spread;    // [points - 1], >= 0, only meaningful where fillable
    private String[] label;     // [points], null entries allowed: the setting a point stands for ("2:4", "vq:2")
    private long unit = 1;      // cost step inside fillable segments

    private CostCurve() {}

    CostCurve(String name, long weights, long[] cost, double[] loss, double[] pointError, boolean[] fillable,
              double[] spread, String[] label) {
        this.name = name;
        this.weights = weights;
        this.cost = cost;
        this.loss = loss;
        this.pointError = pointError;
        this.fillable = fillable;
        this.spread = spread;
        this.label = label;
        validate();
    }

    /** One setting of a discrete curve. */
    public static final class Point implements Serializable {
        private static final long serialVersionUID = 1L;
        public final long cost;
        public final double loss;
        public final String label;

        public Point(long cost, double loss, String label) {
            this.cost = cost;
            this.loss = loss;
            this.label = label;
        }
    }

    /**
     * A curve of discrete settings only (N:M patterns, VQ bit widths measured by short runs, ...), in any order.
     * Two settings of equal cost: the lower loss is kept, and of equal losses the one given first (deterministic).
     *
     * @param weights the matrix's number of weights (limits per weight and reports use it)
     */
    public static CostCurve discrete(String name, long weights, List<Point> points) {
        if (points == null || points.isEmpty()) {
            throw new IllegalArgumentException("matrix " + name + ": a cost curve needs at least one setting");
        }
        List<Point> sorted = new ArrayList<>(points);
        for (int i = 0; i < sorted.size(); i++) {
            Point p = sorted.get(i);
            if (p == null) throw new IllegalArgumentException("matrix " + name + ": setting " + i + " is null");
            checkPoint(name, i, p.cost, p.loss);
        }
        sorted.sort(Comparator.comparingLong((Point p) -> p.cost)); // stable: equal costs keep input order
        List<Point> kept = new ArrayList<>();
        for (Point p : sorted) {
            Point last = kept.isEmpty() ? null : kept.get(kept.size() - 1);
            if (last != null && last.cost == p.cost) {
                if (p.loss < last.loss) kept.set(kept.size() - 1, p);
            } else {
                kept.add(p);
            }
        }
        int n = kept.size();
        long[] c = new long[n];
        double[] l = new double[n];
        String[] lab = new String[n];
        for (int i = 0; i < n; i++) {
            c[i] = kept.get(i).cost;
            l[i] = kept.get(i).loss;
            lab[i] = kept.get(i).label;
        }
        return new CostCurve(name, weights, c, l, new double[n], new boolean[Math.max(0, n - 1)],
                new double[Math.max(0, n - 1)], lab);
    }

    private static void checkPoint(String name, int i, long cost, double loss) {
        if (Double.isNaN(loss) || Double.isInfinite(loss)) {
            throw new IllegalArgumentException("matrix " + name + ": loss of setting " + i + " (cost " + cost + ") is "
                    + loss + "; cost curves must be finite (NaN in the weights or the calibration statistics?)");
        }
        if (cost < 0) {
            throw new IllegalArgumentException("matrix " + name + ": setting " + i + " has negative cost " + cost);
        }
    }

    private void validate() {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("a cost curve needs a matrix name");
        if (weights <= 0) throw new IllegalArgumentException("matrix " + name + ": weights=" + weights + " must be > 0");
        int n = cost.length;
        if (n == 0) throw new IllegalArgumentException("matrix " + name + ": a cost curve needs at least one setting");
        if (loss.length != n || pointError.length != n || label.length != n
                || fillable.length != n - 1 || spread.length != n - 1) {
            throw new IllegalArgumentException("matrix " + name + ": cost curve arrays disagree in length");
        }
        for (int i = 0; i < n; i++) {
            checkPoint(name, i, cost[i], loss[i]);
            if (i > 0 && cost[i] <= cost[i - 1]) {
                throw new IllegalArgumentException("matrix " + name + ": costs must ascend strictly, but setting " + i
                        + " costs " + cost[i] + " after " + cost[i - 1]);
            }
            if (!(pointError[i] >= 0) || Double.isInfinite(pointError[i])) {
                throw new IllegalArgumentException("matrix " + name + ": error bound of setting " + i + " is "
                        + pointError[i]);
            }
        }
        for (int i = 0; i < n - 1; i++) {
            if (!(spread[i] >= 0) || Double.isInfinite(spread[i])) {
                throw new IllegalArgumentException("matrix " + name + ": spread of segment " + i + " is " + spread[i]);
            }
        }
    }

    public String name() { return name; }

    /** The matrix's number of weights. */
    public long weights() { return weights; }

    public int points() { return cost.length; }

    public long cost(int i) { return cost[i]; }

    public double loss(int i) { return loss[i]; }

    public String label(int i) { return label[i]; }

    /** Whether every integer cost strictly between points i and i + 1 is a setting too. */
    public boolean fillable(int i) { return fillable[i]; }

    /** The cost step inside fillable segments (1 unless re-costed by {@link #withCost}). */
    public long unit() { return unit; }

    public long minCost() { return cost[0]; }

    public long maxCost() { return cost[cost.length - 1]; }

    /** Whether c is the cost of one of the points (not only inside a fillable segment). */
    public boolean isPoint(long c) {
        return Arrays.binarySearch(cost, c) >= 0;
    }

    /** Whether some setting costs exactly c. */
    public boolean isSetting(long c) {
        int i = Arrays.binarySearch(cost, c);
        if (i >= 0) return true;
        int t = -i - 2;
        return t >= 0 && t < cost.length - 1 && fillable[t] && (c - cost[t]) % unit == 0;
    }

    /** The cheapest setting costing at least c, or Long.MAX_VALUE when every setting costs less. */
    public long ceilSetting(long c) {
        int i = Arrays.binarySearch(cost, c);
        if (i >= 0) return c;
        int t = -i - 2;
        if (t < 0) return cost[0];
        if (t >= cost.length - 1) return Long.MAX_VALUE;
        if (!fillable[t]) return cost[t + 1];
        long up = cost[t] + ceilDiv(c - cost[t], unit) * unit;
        return Math.min(up, cost[t + 1]);
    }

    /** The costliest setting costing at most c, or Long.MIN_VALUE when every setting costs more. */
    public long floorSetting(long c) {
        int i = Arrays.binarySearch(cost, c);
        if (i >= 0) return c;
        int t = -i - 2;
        if (t < 0) return Long.MIN_VALUE;
        if (t >= cost.length - 1 || !fillable[t]) return cost[t];
        return cost[t] + (c - cost[t]) / unit * unit;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** The loss of the setting costing exactly c (a point, or inside a fillable segment by linear interpolation). */
    public double lossAt(long c) {
        int i = Arrays.binarySearch(cost, c);
        if (i >= 0) return loss[i];
        int t = segmentOf(c);
        double f = (double) (c - cost[t]) / (double) (cost[t + 1] - cost[t]);
        return loss[t] + f * (loss[t + 1] - loss[t]);
    }

    /** A bound on |true loss - lossAt(c)|: the point's own bound, or the interpolation bound inside a segment. */
    public double errorBoundAt(long c) {
        int i = Arrays.binarySearch(cost, c);
        if (i >= 0) return pointError[i];
        int t = segmentOf(c);
        double m = c - cost[t];
        double width = cost[t + 1] - cost[t];
        return m * (width - m) / width * spread[t] + Math.max(pointError[t], pointError[t + 1]);
    }

    /** The label of the point costing exactly c, or null (an unlabelled point, or inside a fillable segment). */
    public String labelAt(long c) {
        int i = Arrays.binarySearch(cost, c);
        return i >= 0 ? label[i] : null;
    }

    private int segmentOf(long c) {
        int i = Arrays.binarySearch(cost, c);
        int t = -i - 2;
        if (t < 0 || t >= cost.length - 1 || !fillable[t] || (c - cost[t]) % unit != 0) {
            throw new IllegalArgumentException("matrix " + name + ": no setting costs " + c);
        }
        return t;
    }

    /**
     * The settings costing lo..hi (inclusive). A fillable segment cut by a bound gets a new end point at its setting
     * nearest inside the bound, with the interpolated loss (and the interpolation bound as its error). Throws when
     * nothing is left.
     */
    public CostCurve restrict(long lo, long hi) {
        if (lo <= cost[0] && hi >= cost[cost.length - 1]) return this;
        long from = ceilSetting(lo);
        long to = floorSetting(hi);
        if (lo > hi || from == Long.MAX_VALUE || to == Long.MIN_VALUE || from > to) {
            throw new IllegalArgumentException("matrix " + name + ": no setting within its limits [" + lo + ", " + hi
                    + "] (its settings cost " + cost[0] + " to " + cost[cost.length - 1] + ")");
        }
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < cost.length; i++) {
            if (cost[i] >= from && cost[i] <= to) keep.add(i);
        }
        boolean addFrom = !isPoint(from);
        boolean addTo = !isPoint(to) && to != from;
        int n = keep.size() + (addFrom ? 1 : 0) + (addTo ? 1 : 0);
        long[] c = new long[n];
        double[] l = new double[n];
        double[] e = new double[n];
        String[] lab = new String[n];
        boolean[] f = new boolean[n - 1];
        double[] sp = new double[n - 1];
        int k = 0;
        if (addFrom) {
            int t = segmentOf(from);
            c[k] = from;
            l[k] = lossAt(from);
            e[k] = errorBoundAt(from);
            if (k < n - 1) {
                f[k] = true; // the next kept point is t + 1, or the added end inside segment t
                sp[k] = spread[t];
            }
            k++;
        }
        for (int i : keep) {
            c[k] = cost[i];
            l[k] = loss[i];
            e[k] = pointError[i];
            lab[k] = label[i];
            if (k < n - 1) {
                f[k] = fillable[i]; // the next kept point is i + 1, or the added end inside segment i
                sp[k] = spread[i];
            }
            k++;
        }
        if (addTo) {
            c[k] = to;
            l[k] = lossAt(to);
            e[k] = errorBoundAt(to);
        }
        CostCurve r = new CostCurve(name, weights, c, l, e, f, sp, lab);
        r.unit = unit;
        return r;
    }

    /**
     * The same settings at cost offset + perUnit * cost (e.g. pruning in stored bits: 16 bits per row plus 32 per kept
     * weight, the NoWag reference's count); inside fillable segments the step becomes perUnit times as large.
     */
    public CostCurve withCost(long offset, long perUnit) {
        if (perUnit <= 0) throw new IllegalArgumentException("perUnit=" + perUnit + " must be > 0");
        long[] c = new long[cost.length];
        for (int i = 0; i < c.length; i++) c[i] = Math.addExact(offset, Math.multiplyExact(perUnit, cost[i]));
        CostCurve r = new CostCurve(name, weights, c, loss.clone(), pointError.clone(), fillable.clone(),
                spread.clone(), label.clone());
        r.unit = Math.multiplyExact(unit, perUnit);
        return r;
    }

    /** The settings at exactly the given costs (each must be a setting): a granular curve read on a grid. */
    public CostCurve sampled(long[] costs) {
        long[] c = costs.clone();
        Arrays.sort(c);
        List<Long> distinct = new ArrayList<>();
        for (long v : c) {
            if (distinct.isEmpty() || distinct.get(distinct.size() - 1) != v) distinct.add(v);
        }
        List<Point> pts = new ArrayList<>();
        double[] err = new double[distinct.size()];
        for (int i = 0; i < distinct.size(); i++) {
            long v = distinct.get(i);
            if (!isSetting(v)) throw new IllegalArgumentException("matrix " + name + ": no setting costs " + v);
            pts.add(new Point(v, lossAt(v), labelAt(v)));
            err[i] = errorBoundAt(v);
        }
        CostCurve d = discrete(name, weights, pts);
        d.pointError = err;
        d.validate();
        return d;
    }

    @Override
    public String toString() {
        return "CostCurve[" + name + ", " + cost.length + " settings, cost " + cost[0] + ".." + cost[cost.length - 1]
                + "]";
    }
}
