package org.nowag.kernels.vq;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Times one k-means iteration's parts for benchmarks: the assignment step alone (fused proposals plus the exact
 * guard and loss, {@link WeightedKMeans#assign}) and a whole iteration (assignment, the weighted sums per centroid
 * and the centroid update: what {@link WeightedKMeans#run} does per iteration). Centroids are K random subvectors
 * (no k-means++, whose cost is not the iteration's), and one untimed iteration first moves the codes off -1 and
 * warms the JIT, so both timed steps start from codes that are neither empty nor converged.
 */
public final class WeightedKMeansProbe {
    private WeightedKMeansProbe() {}

    /**
     * @return {assignment seconds, whole-iteration seconds, flops a fused scan needs (2 * n * K * d), assignment
     *         CPU seconds, whole-iteration CPU seconds}, each the best of {@code repeats} (alternating, all from the
     *         same codes and codebook: other processes can only add time, so on a shared machine the best is the
     *         closest to the kernel's own cost). CPU seconds are the JVM's (all its threads): the core-seconds the
     *         step used, which waiting for a loaded machine's cores does not inflate.
     */
    public static double[] timeIteration(float[] data, int d, float[] weights, int groups, int k, long seed, int threads,
                                         int repeats) {
        int n = data.length / d;
        Random rnd = new Random(seed);
        float[] codebook = new float[k * d];
        for (int c = 0; c < k; c++) System.arraycopy(data, rnd.nextInt(n) * d, codebook, c * d, d);
        int[] start = new int[n];
        Arrays.fill(start, -1);
        BlockedKMeans warm = new BlockedKMeans(codebook, k, d, 1);
        warm.step(List.of(WeightedKMeans.assignAndSum(data, 0, n, d, weights, groups, warm.codebook(), k, start, threads)));
        float[] updated = warm.codebook();
        double assign = Double.MAX_VALUE;
        double iteration = Double.MAX_VALUE;
        double assignCpu = Double.MAX_VALUE;
        double iterationCpu = Double.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
            int[] codes = start.clone();
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            WeightedKMeans.assign(data, 0, n, d, weights, groups, updated, k, codes, threads);
            assign = Math.min(assign, (System.nanoTime() - t0) / 1e9);
            assignCpu = Math.min(assignCpu, (cpuNanos() - c0) / 1e9);
            codes = start.clone();
            BlockedKMeans km = new BlockedKMeans(updated, k, d, 1);
            c0 = cpuNanos();
            t0 = System.nanoTime();
            km.step(List.of(WeightedKMeans.assignAndSum(data, 0, n, d, weights, groups, km.codebook(), k, codes, threads)));
            iteration = Math.min(iteration, (System.nanoTime() - t0) / 1e9);
            iterationCpu = Math.min(iterationCpu, (cpuNanos() - c0) / 1e9);
        }
        return new double[] {assign, iteration, 2.0 * n * k * d, assignCpu, iterationCpu};
    }

    /** CPU time of the whole JVM (-1 when the platform does not report it). */
    static long cpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }
}
