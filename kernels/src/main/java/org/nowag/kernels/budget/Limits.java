package org.nowag.kernels.budget;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Per-matrix floors and ceilings, as a range of cost per weight (kept fraction for sparsity budgets, bits per weight
 * for bit budgets): a default range for every matrix, narrowed by rules that apply to matrix names (e.g. "no
 * mlp.down_proj above 60% sparsity"). Every rule matching a name narrows its range (the ranges intersect).
 */
public final class Limits {
    private final double defaultLo;
    private final double defaultHi;
    private final List<Rule> rules;

    /** A range for the matrices a predicate on the name selects. */
    public static final class Rule {
        final String description;
        final Predicate<String> applies;
        final double lo;
        final double hi;

        Rule(String description, Predicate<String> applies, double lo, double hi) {
            checkRange(lo, hi, description);
            this.description = description;
            this.applies = applies;
            this.lo = lo;
            this.hi = hi;
        }
    }

    private Limits(double lo, double hi, List<Rule> rules) {
        checkRange(lo, hi, "default limits");
        this.defaultLo = lo;
        this.defaultHi = hi;
        this.rules = Collections.unmodifiableList(rules);
    }

    private static void checkRange(double lo, double hi, String what) {
        if (Double.isNaN(lo) || Double.isNaN(hi) || lo > hi || lo < 0) {
            throw new IllegalArgumentException(what + ": cost per weight range [" + lo + ", " + hi
                    + "] must satisfy 0 <= lo <= hi");
        }
    }

    /** No limits: every setting of every curve is allowed. */
    public static Limits none() {
        return new Limits(0, Double.POSITIVE_INFINITY, new ArrayList<>());
    }

    /** Sparsity between floor and ceiling for every matrix (kept fraction in [1 - ceiling, 1 - floor]). */
    public static Limits sparsity(double floor, double ceiling) {
        checkSparsity(floor, ceiling, "sparsity limits");
        return new Limits(1 - ceiling, 1 - floor, new ArrayList<>());
    }

    /** Bits per weight between lo and hi for every matrix. */
    public static Limits bitsPerWeight(double lo, double hi) {
        return new Limits(lo, hi, new ArrayList<>());
    }

    private static void checkSparsity(double floor, double ceiling, String what) {
        if (!(floor >= 0 && floor <= ceiling && ceiling <= 1)) {
            throw new IllegalArgumentException(what + ": sparsity floor " + floor + " and ceiling " + ceiling
                    + " must satisfy 0 <= floor <= ceiling <= 1");
        }
    }

    /** These limits plus a rule: matrices whose name matches regex (find, not whole match) keep cost per weight in [lo, hi]. */
    public Limits withRule(String regex, double lo, double hi) {
        Pattern p = Pattern.compile(regex);
        return with(new Rule("rule /" + regex + "/", name -> p.matcher(name).find(), lo, hi));
    }

    /** A sparsity rule: matrices whose name matches regex stay between the sparsity floor and ceiling. */
    public Limits withSparsityRule(String regex, double floor, double ceiling) {
        checkSparsity(floor, ceiling, "rule /" + regex + "/");
        return withRule(regex, 1 - ceiling, 1 - floor);
    }

    /** These limits plus a rule given as any predicate on the matrix name. */
    public Limits withRule(String description, Predicate<String> applies, double lo, double hi) {
        return with(new Rule(description, applies, lo, hi));
    }

    private Limits with(Rule rule) {
        List<Rule> r = new ArrayList<>(rules);
        r.add(rule);
        return new Limits(defaultLo, defaultHi, r);
    }

    /**
     * The allowed costs [lo, hi] (whole units) of a matrix of {@code weights} weights: ceil(lo * weights) to
     * floor(hi * weights), with a relative slack of 1e-12 so that 0.8 * 10 counts as 8, not 8.000000000000002.
     */
    long[] costRange(String name, long weights) {
        double lo = defaultLo;
        double hi = defaultHi;
        for (Rule r : rules) {
            if (r.applies.test(name)) {
                lo = Math.max(lo, r.lo);
                hi = Math.min(hi, r.hi);
                if (lo > hi) {
                    throw new IllegalArgumentException("matrix " + name + ": its limits leave no room (" + r.description
                            + " narrows the cost per weight to [" + lo + ", " + hi + "])");
                }
            }
        }
        double slack = 1e-12 * weights;
        long from = (long) Math.ceil(lo * weights - slack);
        long to = Double.isInfinite(hi) ? Long.MAX_VALUE : (long) Math.floor(hi * weights + slack);
        return new long[] {Math.max(0, from), to};
    }
}
