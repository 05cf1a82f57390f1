package org.nowag.tools.measure;

import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.nowag.kernels.armor.Armor;
import org.nowag.kernels.armor.ArmorConfig;
import org.nowag.kernels.armor.ArmorResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench-armor", mixinStandardHelpOptions = true,
        description = "Benchmark the ARMOR kernel: seconds per outer iteration on random matrices with random activation "
                + "weights (a benchmark, not a test: nothing asserts on time).",
        footer = {"", "Example:", "  java -jar spark-job/target/nowag-spark.jar bench-armor --shapes 4096x4096 --iters 2"})
public final class BenchArmorCommand implements Callable<Integer> {
    @Option(names = "--shapes", defaultValue = "4096x4096", split = ",", description = "Matrices [d_out x d_in]. Default: ${DEFAULT-VALUE}.")
    List<String> shapes;

    @Option(names = "--iters", defaultValue = "2", description = "Outer iterations per matrix. Default: ${DEFAULT-VALUE}.")
    int iters;

    @Option(names = "--armor-block", defaultValue = "32", description = "Block size b. Default: ${DEFAULT-VALUE}.")
    int block;

    @Option(names = "--threads", defaultValue = "1", description = "Threads for the kernel's per-block loops (a Spark task passes spark.task.cpus). Default: ${DEFAULT-VALUE}.")
    int threads;

    @Override
    public Integer call() {
        for (String s : shapes) Shapes.parse(s);  // a bad shape stops here, before any timing
        Runtime rt = Runtime.getRuntime();
        System.out.printf("machine: %d cores, max heap %.1f GiB, %s %s, %s; threads %d; load average %.2f%n",
                rt.availableProcessors(), rt.maxMemory() / 1073741824.0, System.getProperty("java.vm.name"),
                System.getProperty("java.version"), System.getProperty("os.arch"), threads,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("%-12s | %5s | %9s | %-30s | %12s | %12s%n", "matrix", "b", "total s", "s per iteration",
                "start (rel.)", "end (rel.)");
        for (String s : shapes) {
            int[] shape = Shapes.parse(s);
            int rows = shape[0];
            int cols = shape[1];
            Random rnd = new Random(0);
            float[] w = new float[rows * cols];
            for (int k = 0; k < w.length; k++) w[k] = (float) rnd.nextGaussian();
            float[] act = new float[cols];
            for (int j = 0; j < cols; j++) act[j] = (float) Math.exp(rnd.nextGaussian());
            long t0 = System.nanoTime();
            ArmorResult r = Armor.compress(w, rows, cols, act, ArmorConfig.of(block, iters, true).withThreads(threads), null);
            double total = (System.nanoTime() - t0) / 1e9;
            StringBuilder per = new StringBuilder();
            for (double x : r.iterationSeconds) per.append(per.length() == 0 ? "" : ", ").append(String.format("%.1f", x));
            System.out.printf("%-12s | %5d | %9.1f | %-30s | %12.4f | %12.4f%n", s, block, total, per,
                    r.startLoss() / r.proxyEnergy, r.endLoss() / r.proxyEnergy);
        }
        System.out.printf("load average at the end %.2f%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return 0;
    }
}
