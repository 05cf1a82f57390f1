package org.nowag.kernels.budget;

/**
 * The model-wide total the allocation must meet, in the unit the cost curves use. Either a fixed total ("at most B
 * units") or one relative to the size of the matrices allocated (resolved when the allocator sees them): overall
 * sparsity p keeps exactly round((1 - p) * N) of the N weights; an average of b bits per weight allows floor(b * N)
 * bits.
 */
public final class Budget {
    private enum Kind { TOTAL, EXACT_TOTAL, SPARSITY, BITS_PER_WEIGHT }

    private final Kind kind;
    private final long total;
    private final double rate;
    private final String unit;

    private Budget(Kind kind, long total, double rate, String unit) {
        this.kind = kind;
        this.total = total;
        this.rate = rate;
        this.unit = unit;
    }

    /** At most {@code total} units (e.g. bits) over all matrices. */
    public static Budget atMost(long total, String unit) {
        if (total < 0) throw new IllegalArgumentException("budget " + total + " " + unit + " must be >= 0");
        return new Budget(Kind.TOTAL, total, Double.NaN, unit);
    }

    /**
     * Exactly {@code total} units, or as close below as the settings allow: leftover units go even to settings that
     * do not lower the loss (e.g. keeping weights that are zero), and the limits must be able to reach it.
     */
    public static Budget exactly(long total, String unit) {
        if (total < 0) throw new IllegalArgumentException("budget " + total + " " + unit + " must be >= 0");
        return new Budget(Kind.EXACT_TOTAL, total, Double.NaN, unit);
    }

    /**
     * Overall sparsity p over all matrices allocated: the curves' cost is kept weights, and exactly
     * round((1 - p) * N) are kept (the allocator fails if the limits cannot keep that many).
     */
    public static Budget sparsity(double p) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("budget sparsity " + p + " must be in [0, 1)");
        return new Budget(Kind.SPARSITY, -1, p, "kept weights");
    }

    /** An average of b bits per weight: the curves' cost is stored bits, at most floor(b * N) in all. */
    public static Budget bitsPerWeight(double b) {
        if (!(b > 0) || Double.isInfinite(b)) {
            throw new IllegalArgumentException("budget bits per weight " + b + " must be positive and finite");
        }
        return new Budget(Kind.BITS_PER_WEIGHT, -1, b, "bits");
    }

    /** The total in units, for N weights over all matrices. */
    public long total(long weights) {
        switch (kind) {
            case SPARSITY:
                return Math.round((1.0 - rate) * weights);
            case BITS_PER_WEIGHT:
                return (long) Math.floor(rate * weights);
            default:
                return total;
        }
    }

    /** Whether the total must be reached, not only respected (a sparsity target keeps exactly that many weights). */
    public boolean mustReach() {
        return kind == Kind.SPARSITY || kind == Kind.EXACT_TOTAL;
    }

    public String unit() {
        return unit;
    }

    @Override
    public String toString() {
        switch (kind) {
            case SPARSITY:
                return "overall sparsity " + rate;
            case BITS_PER_WEIGHT:
                return rate + " bits per weight";
            case EXACT_TOTAL:
                return "exactly " + total + " " + unit;
            default:
                return "at most " + total + " " + unit;
        }
    }
}
