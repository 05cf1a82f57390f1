package org.nowag.kernels.prune;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Either unstructured sparsity p over groups (row or whole matrix), or N:M along the input dimension.
 * Immutable by convention; the fields are plain and non-final so Spark's Kryo FieldSerializer can
 * rebuild it in a task (no records, no final fields to fight with).
 */
public final class SparsityPattern implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Group { ROW, MATRIX }

    private boolean nOfM;
    private double sparsity;
    private Group group;
    private int n;
    private int m;

    private SparsityPattern() {}

    /**
     * @param sparsity fraction pruned, 0 <= p < 1. Note: the NoWag reference's {@code frac_sparse} is used as
     *                 the fraction KEPT (UnstructuredSparse keeps int(frac_sparse * n)); ours is the fraction
     *                 pruned, as the name says. At the reference's 0.5 the two agree.
     */
    public static SparsityPattern unstructured(double sparsity, Group group) {
        if (!(sparsity >= 0.0 && sparsity < 1.0)) {
            throw new IllegalArgumentException("sparsity=" + sparsity + " must satisfy 0 <= sparsity < 1");
        }
        if (group == null) {
            throw new IllegalArgumentException("group is null: pass ROW, MATRIX or PruneMethod.defaultGroup()");
        }
        SparsityPattern p = new SparsityPattern();
        p.sparsity = sparsity;
        p.group = group;
        return p;
    }

    /** Keep n of every m consecutive inputs of a row (the reference's {@code pattern: [n, m]}, e.g. [2, 4]). */
    public static SparsityPattern nOfM(int n, int m) {
        if (!(0 < n && n < m)) {
            throw new IllegalArgumentException("N:M = " + n + ":" + m + " must satisfy 0 < N < M");
        }
        SparsityPattern p = new SparsityPattern();
        p.nOfM = true;
        p.n = n;
        p.m = m;
        p.sparsity = 1.0 - (double) n / m;
        p.group = Group.ROW;
        return p;
    }

    /**
     * Parses the {@link #toString()} form: "N:M" (e.g. "2:4", "4:8"), "unstructured:P:GROUP"
     * (e.g. "unstructured:0.5:matrix"), also with '-' separators ("unstructured-0.5-row").
     */
    public static SparsityPattern parse(String text) {
        return parse(text, null);
    }

    /**
     * As {@link #parse(String)}, but "unstructured:P" without a group takes {@code defaultGroup}
     * (e.g. {@code method.defaultGroup()}); null makes the group mandatory.
     */
    public static SparsityPattern parse(String text, Group defaultGroup) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        String unstructured = "unstructured";
        if (t.startsWith(unstructured) && t.length() > unstructured.length()) {
            char sep = t.charAt(unstructured.length());
            if (sep == ':' || sep == '-') {
                String[] parts = t.substring(unstructured.length() + 1).split(Pattern.quote(String.valueOf(sep)), -1);
                Double p = parts.length <= 2 ? parseDoubleOrNull(parts[0]) : null;
                Group g = parts.length == 2 ? parseGroupOrNull(parts[1]) : defaultGroup;
                if (p != null && g != null) {
                    return unstructured(p, g);
                }
                if (p != null && parts.length == 1) {
                    throw new IllegalArgumentException("sparsity pattern \"" + text + "\" names no group; write \""
                            + unstructured + ":" + parts[0] + ":row\" or \":matrix\"");
                }
            }
        } else {
            String[] nm = t.split(":", -1);
            if (nm.length == 2) {
                Integer n = parseIntOrNull(nm[0]);
                Integer m = parseIntOrNull(nm[1]);
                if (n != null && m != null) {
                    return nOfM(n, m);
                }
            }
        }
        throw new IllegalArgumentException("cannot parse sparsity pattern \"" + text
                + "\"; expected \"N:M\" (e.g. 2:4) or \"unstructured:P:row|matrix\" (e.g. unstructured:0.5:matrix)");
    }

    private static Double parseDoubleOrNull(String s) {
        try {
            return Double.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer parseIntOrNull(String s) {
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Group parseGroupOrNull(String s) {
        for (Group g : Group.values()) {
            if (g.name().equalsIgnoreCase(s.trim())) {
                return g;
            }
        }
        return null;
    }

    public boolean isNOfM() { return nOfM; }

    /** Fraction pruned: p for unstructured, 1 - N/M for N:M. */
    public double sparsity() { return sparsity; }

    /** The group of unstructured sparsity; ROW for N:M, whose groups never cross a row. */
    public Group group() { return group; }

    /** N of N:M; 0 for unstructured. */
    public int n() { return n; }

    /** M of N:M; 0 for unstructured. */
    public int m() { return m; }

    /**
     * How many weights a group of groupSize keeps: Math.round((1 - p) * groupSize) for unstructured;
     * groupSize / M * N for N:M (groupSize must be a multiple of M).
     * The reference truncates instead (int(frac_sparse * n), src/utils/sparse.py UnstructuredSparse.__init__);
     * round is our rule, equal to it whenever (1 - p) * n is an integer.
     */
    public long keptPerGroup(long groupSize) {
        if (groupSize < 0) {
            throw new IllegalArgumentException("groupSize=" + groupSize + " must be >= 0");
        }
        if (nOfM) {
            if (groupSize % m != 0) {
                throw new IllegalArgumentException("group of " + groupSize + " is not divisible by M=" + m);
            }
            return groupSize / m * n;
        }
        return Math.round((1.0 - sparsity) * groupSize);
    }

    /** Throws IllegalArgumentException with a clear message if this pattern cannot apply to [rows, cols]. */
    public void checkShape(long rows, long cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("shape [" + rows + ", " + cols + "] must have positive dimensions");
        }
        if (nOfM && cols % m != 0) {
            throw new IllegalArgumentException("d_in=" + cols + " is not divisible by M=" + m
                    + " (N:M = " + n + ":" + m + " groups M consecutive inputs of a row)");
        }
        if (rows * cols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape [" + rows + ", " + cols + "] has " + rows * cols
                    + " elements, more than one Java array holds; prune it in row blocks"
                    + (!nOfM && group == Group.MATRIX ? " (needs a ROW group)" : ""));
        }
    }

    /** "unstructured:0.5:matrix", "unstructured:0.5:row", "2:4": stable text for reports and plan fingerprints. */
    @Override
    public String toString() {
        if (nOfM) {
            return n + ":" + m;
        }
        String p = BigDecimal.valueOf(sparsity).stripTrailingZeros().toPlainString();
        return "unstructured:" + p + ":" + group.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SparsityPattern)) {
            return false;
        }
        SparsityPattern other = (SparsityPattern) o;
        return nOfM == other.nOfM && Double.compare(sparsity, other.sparsity) == 0
                && group == other.group && n == other.n && m == other.m;
    }

    @Override
    public int hashCode() {
        return Objects.hash(nOfM, sparsity, group, n, m);
    }
}
