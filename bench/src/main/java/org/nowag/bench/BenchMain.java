package org.nowag.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH with its usual command line (e.g. {@code -f 1 -wi 2 -i 3 -w 1s -r 1s PruneBench}), then prints every
 * kernel's time as a ratio to the {@code baseline} method of the same class and parameters, measured in the same
 * run: on a shared machine the ratio is steadier than the absolute time. Besides JMH's mean it prints the best
 * (lowest) measurement iteration: other processes can only add time, so on a loaded machine the best iteration is
 * the closest to the kernel's own cost, and the ratio of best to best is the steadier figure.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws RunnerException, CommandLineOptionException, IOException {
        CommandLineOptions options = new CommandLineOptions(args);
        if (options.shouldHelp() || options.shouldList() || options.shouldListProfilers()
                || options.shouldListResultFormats() || options.shouldListWithParams()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.println(machine());
        System.out.println(table(results));
    }

    /** One line: CPU, cores, JVM, whether the Vector API module is in this JVM, and the load when the run ended. */
    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // not Linux: keep "unknown CPU"
        }
        return String.format("machine: %s, %d cores, Java %s, kernels: %s, load average %.2f", cpu,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                org.nowag.kernels.simd.Simd.describe(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** Markdown table: benchmark, parameters, ms/op, error, and x baseline. */
    static String table(Collection<RunResult> results) {
        Map<String, RunResult> byKey = new LinkedHashMap<>();
        for (RunResult r : results) {
            byKey.put(key(r), r);
        }
        List<String> lines = new ArrayList<>();
        lines.add("| benchmark | parameters | mean ms/op | ± | best ms/op | x baseline (mean) | x baseline (best) |");
        lines.add("|---|---|---|---|---|---|---|");
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            String shortName = label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1);
            RunResult base = byKey.get(className(r) + ".baseline" + params(r));
            String ratio = base == null ? "-" : String.format("%.2f",
                    r.getPrimaryResult().getScore() / base.getPrimaryResult().getScore());
            String bestRatio = base == null ? "-" : String.format("%.2f", best(r) / best(base));
            lines.add(String.format("| %s | %s | %.3f | %.3f | %.3f | %s | %s |", shortName, params(r),
                    r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(), best(r), ratio, bestRatio));
        }
        return String.join("\n", lines);
    }

    /** The lowest measurement iteration's score (all iterations of all forks). */
    static double best(RunResult r) {
        double best = Double.POSITIVE_INFINITY;
        for (BenchmarkResult b : r.getBenchmarkResults()) {
            for (IterationResult it : b.getIterationResults()) {
                best = Math.min(best, it.getPrimaryResult().getScore());
            }
        }
        return best;
    }

    private static String key(RunResult r) {
        return r.getParams().getBenchmark() + params(r);
    }

    private static String className(RunResult r) {
        String b = r.getParams().getBenchmark();
        return b.substring(0, b.lastIndexOf('.'));
    }

    private static String params(RunResult r) {
        return r.getParams().getParamsKeys().stream().map(k -> k + "=" + r.getParams().getParam(k))
                .collect(Collectors.joining(" "));
    }
}
