package org.nowag.tools.measure;

import java.util.List;
import java.util.concurrent.Callable;
import org.nowag.job.cli.OptionValues;
import org.nowag.kernels.simd.Simd;
import org.nowag.kernels.vq.VqConfig;
import org.nowag.kernels.vq.VqResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench-vq", mixinStandardHelpOptions = true,
        description = "Benchmark NoWag-VQ: the fused assignment step's GFLOP/s (2*d*K flops per subvector) against ND4J's "
                + "GEMM peak measured in the same run, a whole iteration (assignment + centroid update) against the "
                + "assignment alone, and whole-matrix times (a benchmark, not a test: nothing asserts on time).",
        footer = {"", "Example:", "  java -jar spark-job/target/nowag-spark.jar bench-vq --iters 100"})
public final class BenchVqCommand implements Callable<Integer> {
    @Option(names = "--shapes", defaultValue = "4096x4096,11008x4096", split = ",", description = "Matrices [d_out x d_in]. Default: ${DEFAULT-VALUE}.")
    List<String> shapes;

    @Option(names = "--iters", defaultValue = "100", description = "Most k-means iterations per whole matrix. Default: ${DEFAULT-VALUE}.")
    int iters;

    @Option(names = "--vq-dim", defaultValue = "6", description = "Subvector length. Default: ${DEFAULT-VALUE}.")
    int dim;

    @Option(names = "--vq-bits", defaultValue = "2", description = "Code bits per weight. Default: ${DEFAULT-VALUE}.")
    int bits;

    @Option(names = "--skip-whole", description = "Only the GEMM peak and one iteration (assignment, update).")
    boolean skipWhole;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed assignments and iterations per shape; the best "
            + "of each is printed. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--threads", description = "Kernel threads (what a Spark task gets from spark.task.cpus). "
            + "Default: all cores of this JVM.")
    Integer threads;

    @Override
    public Integer call() {
        for (String s : shapes) parse(s);  // a bad shape stops here, before minutes of GEMM timing
        VqConfig cfg = OptionValues.convert("--vq-dim " + dim + " --vq-bits " + bits + " --iters " + iters,
                () -> VqConfig.ofBits(dim, bits, iters, 0));
        Runtime rt = Runtime.getRuntime();
        System.out.printf("machine: %d cores, max heap %.1f GiB, %s %s, %s%n", rt.availableProcessors(),
                rt.maxMemory() / 1073741824.0, System.getProperty("java.vm.name"), System.getProperty("java.version"),
                System.getProperty("os.arch"));
        int th = threads == null ? rt.availableProcessors() : threads;
        OptionValues.atLeast("--threads", th, 1);
        OptionValues.atLeast("--repeats", repeats, 1);
        System.out.printf("kernel: %s, %d threads, d=%d, K=%d%n", Simd.describe(), th, cfg.dim, cfg.codebookSize);
        double peak = VqBench.gemmPeak(4096, 3);
        System.out.printf("ND4J GEMM peak (4096^3 float, best of 3): %.1f GFLOP/s%n", peak);
        System.out.printf("%-12s | %9s | %14s | %9s | %12s | %14s | %12s | %15s   (best of %d each)%n", "matrix",
                "assign s", "GFLOP/s (2dK)", "x peak", "iteration s", "iter / assign", "assign CPU s",
                "iteration CPU s", repeats);
        for (String s : shapes) {
            int[] rc = parse(s);
            double[] t = VqBench.iteration(rc[0], rc[1], cfg.dim, cfg.codebookSize, 1, th, repeats);
            System.out.printf("%-12s | %9.2f | %14.1f | %9.2f | %12.2f | %14.2f | %12.2f | %15.2f%n", s, t[0],
                    t[2] / t[0] / 1e9, t[2] / t[0] / 1e9 / peak, t[1], t[1] / t[0], t[3], t[4]);
        }
        if (skipWhole) return 0;
        System.out.printf("%-12s | %10s | %9s | %6s | %10s | %15s | %9s | %14s%n", "matrix", "seconds", "init s",
                "iters", "converged", "s/iter (rest)", "bits/w", "proxy rel.");
        for (String s : shapes) {
            int[] rc = parse(s);
            double init = VqBench.initSeconds(rc[0], rc[1], cfg, th);
            long t0 = System.nanoTime();
            VqResult r = VqBench.wholeMatrix(rc[0], rc[1], cfg, th);
            double secs = (System.nanoTime() - t0) / 1e9;
            // Everything but the init, per iteration: assignment, sums, update (and the once-per-matrix normalization
            // and final losses, small next to an iteration at these sizes).
            System.out.printf("%-12s | %10.1f | %9.1f | %6d | %10s | %15.1f | %9.4f | %14.4f%n", s, secs, init,
                    r.kMeans.iterations, r.kMeans.converged, (secs - init) / r.kMeans.iterations, r.bitsPerWeight(),
                    r.proxyLoss / r.proxyEnergy);
        }
        return 0;
    }

    private static int[] parse(String s) {
        return Shapes.parse(s);
    }
}
