package org.nowag.job.cli;

import org.nowag.job.api.CompressionMethod;

/**
 * A rough wall time for {@code compress --dry-run}: core-seconds per GB of model measured by {@code nowag bench} and
 * divided by the task slots. Only an order of magnitude: the rates come from one machine and one model shape (below),
 * and SparseGPT (d_in²), NoWag-VQ (K, iterations until the codes settle) and ARMOR (iterations) scale with more than
 * the bytes.
 */
final class TimeEstimate {
    /** Where the rates come from (printed with the estimate). */
    static final String SOURCE = "nowag bench of 2026-11-25 (docs/results/2026-11-25-benchmarks.md: 2-core machine, "
            + "local disk, a 0.967 GB BF16 Llama-shaped model)";

    private TimeEstimate() {}

    /**
     * Core-seconds per GB of model bytes: the bench's seconds for the whole 0.967 GB model on 2 cores (the method's
     * {@link org.nowag.job.method.MethodPlugin#benchSeconds}), times 2 / 0.967. NoWag-VQ and ARMOR were measured with
     * one iteration (including setup), so theirs are per iteration.
     */
    static double coreSecondsPerGb(CompressionMethod m) {
        double seconds = m.plugin().benchSeconds();
        if (Double.isNaN(seconds)) throw new IllegalArgumentException("no measured rate for " + m.cliName());
        return seconds * 2 / 0.967;
    }

    /** Whether the estimate is an upper bound: VQ's k-means stops early when no code changes; setup counted per iteration. */
    static boolean perIteration(CompressionMethod m) {
        return m.plugin().timePerIteration();
    }

    /** Seconds for {@code modelBytes} on {@code slots} parallel tasks ({@code iterations}: VQ/ARMOR, else ignored). */
    static double seconds(CompressionMethod m, long modelBytes, int slots, int iterations) {
        double coreSeconds = coreSecondsPerGb(m) * modelBytes / 1e9 * (perIteration(m) ? Math.max(1, iterations) : 1);
        return coreSeconds / Math.max(1, slots);
    }

    /**
     * Parallel task slots of a master, without starting Spark: local[N] / local[N,F] → N, local[*] → this machine's
     * cores, local → 1; a cluster → executor instances × executor cores / task cpus when all are set, else 0 (unknown).
     */
    static int slots(String master, int localCores, String executorInstances, String executorCores, String taskCpus) {
        if (master.equals("local")) return 1;
        java.util.regex.Matcher local = java.util.regex.Pattern.compile("local\\[(\\*|\\d+)(,\\d+)?]").matcher(master);
        if (local.matches()) return local.group(1).equals("*") ? localCores : Integer.parseInt(local.group(1));
        if (executorInstances == null || executorCores == null) return 0;
        int cpus = taskCpus == null ? 1 : Integer.parseInt(taskCpus.strip());
        return Integer.parseInt(executorInstances.strip()) * Integer.parseInt(executorCores.strip()) / Math.max(1, cpus);
    }
}
