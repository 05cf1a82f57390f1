package org.nowag.tools.measure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.job.cli.Log;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Checks the README's per-executor memory formulas against measurement: for each step, the smallest -Xmx under which
 * one task on one full-size matrix completes (child JVMs, bisection), next to the formula and the live set.
 */
@Command(name = "mem-check", mixinStandardHelpOptions = true,
        description = "Smallest -Xmx that runs one executor task on one full-size BF16 matrix, per step, found by "
                + "bisection over child JVMs, next to the README's memory formula (a measurement, not a test).",
        footer = {"", "Example:", "  java -jar spark-job/target/nowag-spark.jar mem-check --dir /tmp/nowag-mem"})
public final class MemCheckCommand implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "nowag-mem", description = "Scratch directory. Default: ${DEFAULT-VALUE}.")
    String dir;

    @Option(names = "--rows", defaultValue = "8192", description = "Matrix rows (d_out). Default: ${DEFAULT-VALUE}.")
    int rows;

    @Option(names = "--cols", defaultValue = "8192", description = "Matrix columns (d_in). Default: ${DEFAULT-VALUE}.")
    int cols;

    @Option(names = "--steps", split = ",", defaultValue = "colnorms,nowag-p@unstructured:0.5:matrix,nowag-p@2:4,"
            + "wanda@unstructured:0.5:row,magnitude@unstructured:0.5:matrix",
            description = "Steps: colnorms, METHOD@PATTERN (prune), calibrate (a calibrate --full map task on --calib-tokens "
                    + "rows of width --cols, and a reduce task adding --calib-partitions partial bands). Default: ${DEFAULT-VALUE}.")
    List<String> steps;

    @Option(names = "--calib-tokens", defaultValue = "512", description = "calibrate step: tokens of the map task. Default: ${DEFAULT-VALUE}.")
    int calibTokens;

    @Option(names = "--calib-partitions", defaultValue = "8", description = "calibrate step: partial sums per reduced band. Default: ${DEFAULT-VALUE}.")
    int calibPartitions;

    @Option(names = "--vq", defaultValue = "1536x1536:6:2:1",
            description = "NoWag-VQ check: ROWSxCOLS:DIM:BITS:ITERATIONS, or 'none'. Default: ${DEFAULT-VALUE}.")
    String vq;

    @Option(names = "--run", description = "A whole compress of one full-size matrix (local[N], one task with all N "
            + "cores) under a fixed heap "
            + "(no bisection: the heavy methods take minutes per run): METHOD,ROWSxCOLS,XMX[,EXTRA COMPRESS ARGS], e.g. "
            + "'sparsegpt,28672x8192,12g,--pattern 2:4' or 'nowag-vq,28672x8192,4g,--vq-iters 1'. Repeatable; when given, "
            + "only these runs are made.")
    List<String> runs;

    @Option(names = "--resolution-mb", defaultValue = "16", description = "Bisection stops at this width. Default: ${DEFAULT-VALUE}.")
    int resolutionMb;

    @Override
    public Integer call() throws Exception {
        if (runs != null) FixedHeapRuns.check(runs);  // a bad spec stops here, before the scratch directory exists
        org.nowag.job.api.Preflight.workDirectory("--dir", dir, new org.apache.hadoop.conf.Configuration());
        java.nio.file.Path root = java.nio.file.Path.of(dir).toAbsolutePath();
        Files.createDirectories(root);
        if (runs != null && !runs.isEmpty()) {
            new FixedHeapRuns(root).runAll(runs);
            return 0;
        }
        // The calibrate step needs no matrix file (its rows are drawn in the child).
        java.nio.file.Path matrix = steps.stream().allMatch("calibrate"::equals) ? null : writeMatrix(root, rows, cols);
        long n = (long) rows * cols;
        int b = 2;
        List<String> base = jvmBase();
        System.out.printf("matrix %d x %d BF16 (n = %d); child JVMs: java %s%n", rows, cols, n,
                String.join(" ", base.subList(1, base.size() - 2)));
        System.out.printf("| %-34s | %14s | %18s | %16s | %16s | %18s |%n", "step", "formula MiB", "smallest -Xmx MiB",
                "x formula", "live MiB", "peak MiB at that");
        System.out.printf("|%s|%s|%s|%s|%s|%s|%n", "-".repeat(36), "-".repeat(16), "-".repeat(20), "-".repeat(18),
                "-".repeat(18), "-".repeat(20));
        for (String step : steps) {
            if (step.equals("calibrate")) {
                report("calibrate map d_in=" + cols + " T=" + calibTokens,
                        org.nowag.job.calib.CalibrationMemory.mapHeapBytes(calibTokens, cols),
                        List.of("calibrate-map", Integer.toString(cols), Integer.toString(calibTokens)));
                report("calibrate reduce d_in=" + cols + " P=" + calibPartitions,
                        org.nowag.job.calib.CalibrationMemory.reduceHeapBytes(cols),
                        List.of("calibrate-reduce", Integer.toString(cols), Integer.toString(calibPartitions)));
                continue;
            }
            long formula;
            List<String> args = new ArrayList<>(List.of(matrix.toUri().toString(), "w"));
            if (step.equals("colnorms")) {
                formula = n * (4 + b) + 8L * cols;
                args.add("colnorms");
            } else {
                String[] mp = step.split("@", 2);
                formula = n * (2L * b + 12) + n / 8;
                args.add(mp[0]);
                args.add(mp[1]);
            }
            report(step + " " + rows + "x" + cols, formula, args);
        }
        if (!vq.equals("none")) {
            String[] p = vq.split(":");
            String[] shape = p[0].split("x");
            int vr = Integer.parseInt(shape[0]);
            int vc = Integer.parseInt(shape[1]);
            int d = Integer.parseInt(p[1]);
            java.nio.file.Path vqMatrix = writeMatrix(root, vr, vc);
            long vn = (long) vr * vc;
            long formula = vn * (b + 16) + 12 * vn / d + (64L << 20);
            report("nowag-vq d=" + d + " " + p[2] + " bits " + vr + "x" + vc, formula,
                    List.of(vqMatrix.toUri().toString(), "w", "vq:" + p[1] + ":" + p[2] + ":" + p[3]));
        }
        return 0;
    }

    private void report(String label, long formula, List<String> args) throws Exception {
        long formulaMb = formula >> 20;
        // Bracket: the formula + 25% + 64 MiB (JVM and Hadoop classes) should pass, a quarter of it should not.
        long hi = Math.max(64, formulaMb + formulaMb / 4 + 64);
        String[] atHi = probe(hi, args);
        if (atHi == null) {
            System.out.printf("| %-34s | %14d | %18s | %16s | %16s | %18s |%n", label, formulaMb, "> " + hi, "-", "-", "-");
            return;
        }
        long lo = Math.max(16, formulaMb / 4); // assumed to fail
        String[] best = atHi;
        while (hi - lo > resolutionMb) {
            long mid = (lo + hi) / 2;
            String[] r = probe(mid, args);
            if (r != null) {
                hi = mid;
                best = r;
            } else {
                lo = mid;
            }
        }
        System.out.printf("| %-34s | %14d | %18d | %16.2f | %16s | %18s |%n", label, formulaMb, hi, hi / (double) formulaMb,
                mb(best[1]), mb(best[0]));
    }

    /** {peak, live} bytes when the child completes under -Xmx{mb}m, else null. */
    private static String[] probe(long mb, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(jvmBase());
        cmd.add(1, "-Xmx" + mb + "m");
        cmd.add(MemoryProbe.class.getName());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        p.waitFor(30, TimeUnit.MINUTES);
        // Status 3 is -XX:+ExitOnOutOfMemoryError; anything else is a real failure and must not pass for "too small".
        Log.info("-Xmx" + mb + "m: " + (p.exitValue() == 0 ? "ok" : p.exitValue() == 3 ? "out of memory" : "failed ("
                + p.exitValue() + "): " + out.substring(Math.max(0, out.length() - 2000))));
        for (String line : out.split("\n")) {
            if (p.exitValue() == 0 && line.startsWith("ok ")) {
                String[] f = line.split(" ");
                return new String[] {f[1].substring(5), f[2].substring(5)};
            }
        }
        return null;
    }

    /** The Add-Opens of the jar's manifest (pom.xml): what Spark 4 and Arrow need on JDK 17. */
    private static final List<String> SPARK_OPENS = List.of("java.lang", "java.lang.invoke", "java.lang.reflect",
            "java.io", "java.net", "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic",
            "jdk.internal.ref", "sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar");

    static List<String> jvmBase() {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        // The jar's manifest opens these for Spark under java -jar; a -cp child needs them on its command line.
        for (String pkg : SPARK_OPENS) cmd.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.add("--add-modules=jdk.incubator.vector");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        return cmd;
    }

    private static String mb(String bytes) {
        return String.format("%.0f", Long.parseLong(bytes) / 1048576.0);
    }

    /** A one-tensor BF16 safetensors file "w" of N(0, 0.02^2) weights (reused when present). */
    static java.nio.file.Path writeMatrix(java.nio.file.Path root, int rows, int cols) throws IOException {
        java.nio.file.Path file = root.resolve("matrix-" + rows + "x" + cols + ".safetensors");
        writeMatrix(file, "w", rows, cols);
        return file;
    }

    /** {@code file} with one BF16 tensor of N(0, 0.02^2) weights, seed 7 (kept when it exists). */
    static void writeMatrix(java.nio.file.Path file, String tensor, int rows, int cols) throws IOException {
        if (Files.exists(file)) return;
        java.nio.file.Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        SplittableRandom random = new SplittableRandom(7);
        try (OutputStream out = Files.newOutputStream(tmp)) {
            SafetensorsWriter.write(out, List.of(new TensorSpec(tensor, DType.BF16, new long[] {rows, cols})),
                    Map.of("format", "pt"), (spec, o) -> {
                        float[] row = new float[cols];
                        byte[] bytes = new byte[2 * cols];
                        for (int r = 0; r < rows; r++) {
                            for (int j = 0; j < cols; j++) row[j] = 0.02f * (float) random.nextGaussian();
                            FloatCodec.encode(row, 0, DType.BF16, bytes, 0, cols);
                            o.write(bytes);
                        }
                    });
        }
        Files.move(tmp, file);
    }
}
