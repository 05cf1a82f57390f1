package org.nowag.job.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * A model-wide budget as the user gave it (compress --budget-sparsity / --budget-bits, or a recipe's budget: entry):
 * the total, the per-matrix floor and ceiling, and the rule that spreads it over the matrices. docs/budgets.md.
 */
public final class BudgetSpec {
    /** What the budget counts. */
    public enum Kind {
        /** Overall sparsity of the pruned matrices (nowag-p, wanda, magnitude). */
        SPARSITY,
        /** Average stored bits per weight of the NoWag-VQ matrices. */
        BITS
    }

    /** How the total is spread over the matrices. */
    public enum Rule {
        /** The Lagrangian allocator over calibrated loss curves (LACONIC's dual ascent, then exact search). */
        ALLOCATE,
        /** Outlier-weighed layerwise sparsity (Yin et al. 2024), the published baseline. */
        OWL,
        /** Every matrix the same setting (the comparison run). */
        UNIFORM;

        public String cliName() { return name().toLowerCase(Locale.ROOT); }

        public static Rule parse(String text, String where) {
            for (Rule r : values()) {
                if (r.cliName().equals(text.trim().toLowerCase(Locale.ROOT))) return r;
            }
            throw new IllegalArgumentException(where + " '" + text + "': choose allocate, owl or uniform");
        }
    }

    public static final double DEFAULT_SPARSITY_FLOOR = 0.2;
    public static final double DEFAULT_SPARSITY_CEILING = 0.9;

    public final Kind kind;
    public final double target;
    /** Per-matrix floor and ceiling (sparsity, or bits per weight). */
    public final double min;
    public final double max;
    public final Rule rule;

    public BudgetSpec(Kind kind, double target, Double min, Double max, Rule rule) {
        this.kind = kind;
        this.target = target;
        this.rule = rule == null ? Rule.ALLOCATE : rule;
        if (kind == Kind.SPARSITY) {
            this.min = min == null ? DEFAULT_SPARSITY_FLOOR : min;
            this.max = max == null ? DEFAULT_SPARSITY_CEILING : max;
        } else {
            this.min = min == null ? 0 : min;
            this.max = max == null ? 64 : max;
        }
    }

    /**
     * Checks the numbers; a problem is an IllegalArgumentException naming where (an option or a recipe key) and why.
     */
    public BudgetSpec check(String targetName, String minName, String maxName) {
        if (kind == Kind.SPARSITY) {
            if (!(target > 0 && target < 1)) throw new IllegalArgumentException(targetName + " " + target + ": must be in (0, 1)");
            if (!(min >= 0 && min < 1)) throw new IllegalArgumentException(minName + " " + min + ": must be in [0, 1)");
            if (!(max > 0 && max < 1)) throw new IllegalArgumentException(maxName + " " + max + ": must be in (0, 1)");
        } else {
            if (!(target > 0 && target <= 32)) throw new IllegalArgumentException(targetName + " " + target + ": must be in (0, 32]");
            if (!(min >= 0)) throw new IllegalArgumentException(minName + " " + min + ": must be at least 0");
            if (!(max > 0)) throw new IllegalArgumentException(maxName + " " + max + ": must be positive");
        }
        if (min > max) throw new IllegalArgumentException(minName + " " + min + " is above " + maxName + " " + max);
        if (target < min || target > max) {
            throw new IllegalArgumentException(targetName + " " + target + " lies outside [" + minName + ", " + maxName
                    + "] = [" + min + ", " + max + "]: no allocation can meet it");
        }
        return this;
    }

    public ObjectNode toJson() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put(kind == Kind.SPARSITY ? "sparsity" : "bits", target);
        o.put("min", min);
        o.put("max", max);
        o.put("rule", rule.cliName());
        return o;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s (per matrix %s..%s, %s)", kind == Kind.SPARSITY ? "overall sparsity" : "bits per weight",
                target, min, max, rule.cliName());
    }
}
