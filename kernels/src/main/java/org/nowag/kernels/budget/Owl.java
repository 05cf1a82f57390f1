package org.nowag.kernels.budget;

/**
 * OWL, outlier-weighed layerwise sparsity (Yin et al., "Outlier Weighed Layerwise Sparsity (OWL): A Missing Secret
 * Sauce for Pruning LLMs to High Sparsity", ICML 2024, arXiv 2310.05175; reference code github luuyin/OWL,
 * lib/prune_all.py prune_wanda_outlier; the same rule is llm-compressor's {@code sparsity_profile: owl} with
 * {@code owl_m}, {@code owl_lmbda}). A named baseline for the allocator, not an allocator: layers with more outliers
 * are pruned less.
 *
 * <ol>
 * <li>Per layer (a transformer block: the Wanda metrics |W_ij| * ||X_j|| of all its linear matrices pooled), the
 *     outlier ratio D = 100 * #{metric > M * mean(metric)} / #metric (check_outlier_mean: strictly greater).</li>
 * <li>Normalised to [0, 2 lambda]: a_l = (D_l - min D) / (max D - min D) * 2 lambda.</li>
 * <li>Layer sparsity = target - (a_l - mean(a)): the kept fractions 1 - target + a_l - mean(a) average to exactly
 *     1 - target over the layers, so with equal-sized layers the model keeps the target overall (rounded per
 *     matrix, so not to the weight: the allocator's guarantee is stronger).</li>
 * </ol>
 * Where the reference divides 0 by 0 (every layer with the same ratio) we give every layer the target. Like the
 * reference, a sparsity <= 0 becomes 0.01.
 */
public final class Owl {
    /** M: the README's and llama7b_wanda_owll.sh's --Hyper_m 5 (main.py's argparse default is 3; 5 is what is run). */
    public static final double DEFAULT_M = 5;
    /** lambda: --Lamda 0.08 in the README scripts and main.py's default (unstructured sparsity). */
    public static final double DEFAULT_LAMBDA = 0.08;

    private Owl() {}

    /** The per-layer sparsities for per-layer outlier ratios (any positive scale: they are min-max normalised). */
    public static double[] layerSparsities(double[] outlierRatios, double target, double lambda) {
        if (outlierRatios == null || outlierRatios.length == 0) {
            throw new IllegalArgumentException("OWL needs the outlier ratio of at least one layer");
        }
        if (!(target >= 0 && target < 1)) throw new IllegalArgumentException("OWL target sparsity " + target + " not in [0, 1)");
        if (!(lambda >= 0) || Double.isInfinite(lambda)) throw new IllegalArgumentException("OWL lambda " + lambda + " must be >= 0");
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int l = 0; l < outlierRatios.length; l++) {
            double d = outlierRatios[l];
            if (!Double.isFinite(d) || d < 0) {
                throw new IllegalArgumentException("OWL outlier ratio of layer " + l + " is " + d + "; must be finite and >= 0");
            }
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        int n = outlierRatios.length;
        double[] sparsity = new double[n];
        if (max == min) {
            java.util.Arrays.fill(sparsity, target);
            return sparsity;
        }
        double[] a = new double[n];
        double mean = 0;
        for (int l = 0; l < n; l++) {
            a[l] = (outlierRatios[l] - min) / (max - min) * 2 * lambda;
            mean += a[l];
        }
        mean /= n;
        for (int l = 0; l < n; l++) {
            double s = target - (a[l] - mean);
            if (s <= 0) s = 0.01; // lib/prune_all.py: "if layer_sparsity_ratio<=0: layer_sparsity_ratio=0.01"
            if (s >= 1) {
                throw new IllegalArgumentException("OWL gives layer " + l + " sparsity " + s + " (target " + target
                        + ", lambda " + lambda + "): lower lambda or the target");
            }
            sparsity[l] = s;
        }
        return sparsity;
    }

    /** Pass 1 over a block of one layer's Wanda metrics: {sum, count}; add the blocks of all its matrices. */
    public static double[] sumAndCount(float[] metric) {
        double sum = 0;
        for (float v : metric) sum += v;
        return new double[] {sum, metric.length};
    }

    /** Pass 2: how many metrics exceed threshold = M * mean (the mean from pass 1 over the whole layer). */
    public static long countAbove(float[] metric, double threshold) {
        long n = 0;
        for (float v : metric) {
            if (v > threshold) n++;
        }
        return n;
    }

    /** The outlier ratio in percent, as the reference reports it. */
    public static double outlierRatio(long above, long count) {
        if (count <= 0) throw new IllegalArgumentException("OWL outlier ratio of an empty layer");
        return 100.0 * above / count;
    }
}
