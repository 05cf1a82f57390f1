package org.nowag.tools.measure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.api.BadOptionException;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.cli.Log;
import org.nowag.job.plan.MemoryEstimate;
import org.nowag.kernels.vq.VqConfig;

/**
 * {@code mem-check --run}: one whole {@code compress} of a one-matrix BF16 model in a child JVM under a fixed -Xmx
 * ({@code --master local[N]} with {@code spark.task.cpus = N}, N the cores: one task at a time with every core, and
 * the driver and that executor share the heap, so this is an upper bound on the executor's need), reported next to the planner's formula with the live set after GC, the heap's high-water mark and the
 * process's peak resident set (heap plus ND4J's off-heap buffers plus the JVM's own).
 */
final class FixedHeapRuns {
    /** The tensor name every run's one-matrix model uses (an MLP weight, so the default --include selects it). */
    static final String TENSOR = "model.layers.0.mlp.up_proj.weight";

    private final Path root;

    FixedHeapRuns(Path root) {
        this.root = root;
    }

    void runAll(List<String> runs) throws Exception {
        System.out.printf("| %-44s | %11s | %9s | %-14s | %12s | %12s | %12s | %9s |%n", "run", "formula MiB", "-Xmx MiB",
                "result", "live GC MiB", "heap peak MiB", "peak RSS MiB", "seconds");
        System.out.printf("|%s|%s|%s|%s|%s|%s|%s|%s|%n", "-".repeat(46), "-".repeat(13), "-".repeat(11),
                "-".repeat(16), "-".repeat(14), "-".repeat(15), "-".repeat(14), "-".repeat(11));
        for (String run : runs) runOne(run);
    }

    /** Checks every spec before anything is written; the message names the spec and what is wrong. */
    static void check(List<String> runs) {
        for (String run : runs) Spec.parse(run);
    }

    /** METHOD,ROWSxCOLS,XMX[,EXTRA COMPRESS ARGS]. */
    static final class Spec {
        final String methodName;
        final CompressionMethod method;
        final int rows;
        final int cols;
        final long xmxMb;
        final List<String> extra;

        private Spec(String methodName, CompressionMethod method, int rows, int cols, long xmxMb, List<String> extra) {
            this.methodName = methodName;
            this.method = method;
            this.rows = rows;
            this.cols = cols;
            this.xmxMb = xmxMb;
            this.extra = extra;
        }

        static Spec parse(String spec) {
            String[] f = spec.split(",", 4);
            String usage = "--run '" + spec + "': expected METHOD,ROWSxCOLS,XMX[,EXTRA COMPRESS ARGS], "
                    + "e.g. 'sparsegpt,28672x8192,12g,--pattern 2:4'";
            if (f.length < 3) throw new BadOptionException(usage);
            CompressionMethod method;
            try {
                method = CompressionMethod.parse(f[0].trim());
            } catch (IllegalArgumentException e) {
                throw new BadOptionException(usage + ": " + e.getMessage());
            }
            String[] shape = f[1].trim().split("x");
            int rows;
            int cols;
            try {
                if (shape.length != 2) throw new NumberFormatException();
                rows = Integer.parseInt(shape[0]);
                cols = Integer.parseInt(shape[1]);
            } catch (NumberFormatException e) {
                throw new BadOptionException(usage + ": shape '" + f[1] + "' is not ROWSxCOLS");
            }
            if (rows < 1 || cols < 1) throw new BadOptionException(usage + ": shape '" + f[1] + "' must be positive");
            long xmxMb;
            try {
                xmxMb = megabytes(f[2]);
            } catch (NumberFormatException e) {
                throw new BadOptionException(usage + ": heap '" + f[2] + "' is not a size like 4g or 512m");
            }
            if (xmxMb < 64) throw new BadOptionException(usage + ": heap '" + f[2] + "' is below 64 MiB");
            List<String> extra = f.length > 3 && !f[3].isBlank() ? Arrays.asList(f[3].trim().split("\\s+")) : List.of();
            return new Spec(f[0].trim(), method, rows, cols, xmxMb, extra);
        }
    }

    private void runOne(String text) throws Exception {
        Spec spec = Spec.parse(text);
        CompressionMethod method = spec.method;
        int rows = spec.rows;
        int cols = spec.cols;
        long xmxMb = spec.xmxMb;
        List<String> extra = spec.extra;

        Path model = root.resolve("model-" + rows + "x" + cols);
        writeModel(model, rows, cols);
        Path out = root.resolve("out-" + spec.methodName + "-" + rows + "x" + cols);
        deleteTree(out);
        List<String> cmd = new ArrayList<>(MemCheckCommand.jvmBase());
        cmd.add(1, "-Xmx" + xmxMb + "m");
        // One task at a time that gets every core (as an executor sized for one large task): spark.task.cpus = cores.
        int cores = Runtime.getRuntime().availableProcessors();
        cmd.add(2, "-Dspark.task.cpus=" + cores);
        cmd.add(MemoryProbe.class.getName());
        cmd.addAll(List.of("compress", "--model", model.toUri().toString(), "--out", out.toUri().toString(),
                "--method", spec.methodName, "--master", "local[" + cores + "]"));
        if (method == CompressionMethod.SPARSEGPT) {
            cmd.add("--calibration");
            cmd.add(writeCalibration(model, cols).toUri().toString());
        }
        cmd.addAll(extra);
        TensorInfo info = new TensorInfo(TENSOR, DType.BF16, new long[] {rows, cols}, 0, 2L * rows * cols);
        long formula = formula(method, info, extra);

        Log.info("mem-check run " + text + ": " + String.join(" ", cmd.subList(cmd.indexOf("compress"), cmd.size())));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String[] ok = null;
        StringBuilder tail = new StringBuilder();
        try (InputStream in = p.getInputStream()) {
            // Stream the child's log (progress of a long run) and keep the end for the report.
            java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                System.err.println("  | " + line);
                if (line.startsWith("ok ")) ok = line.split(" ");
                tail.append(line).append('\n');
                if (tail.length() > 20_000) tail.delete(0, tail.length() - 10_000);
            }
        }
        p.waitFor(6, TimeUnit.HOURS);
        double seconds = (System.nanoTime() - start) / 1e9;
        int code = p.exitValue();
        String result = code == 0 && ok != null ? "completed" : code == 3 ? "out of memory" : "failed (" + code + ")";
        String label = spec.methodName + " " + rows + "x" + cols + (extra.isEmpty() ? "" : " " + String.join(" ", extra));
        System.out.printf("| %-44s | %11s | %9d | %-14s | %12s | %12s | %12s | %9.1f |%n", label,
                formula < 0 ? "-" : String.valueOf(formula >> 20), xmxMb, result,
                ok == null ? "-" : mib(ok[2]), ok == null ? "-" : mib(ok[1]), ok == null ? "-" : mib(ok[3]), seconds);
        deleteTree(out);
    }

    /** The planner's per-task estimate for this method and shape, or -1 where there is none. */
    static long formula(CompressionMethod method, TensorInfo info, List<String> extra) {
        switch (method) {
            case SPARSEGPT:
                return MemoryEstimate.sparseGptTaskBytes(info);
            case ARMOR:
                return MemoryEstimate.armorTaskBytes(info, Integer.parseInt(valueOf(extra, "--armor-block",
                        String.valueOf(org.nowag.kernels.armor.ArmorConfig.DEFAULT_BLOCK_SIZE))));
            case NOWAG_VQ: {
                int dim = Integer.parseInt(valueOf(extra, "--vq-dim", "6"));
                boolean blocks = extra.contains("--vq-row-blocks") || 4L * info.numel() > org.nowag.job.api.CompressOptions.DEFAULT_BLOCK_BYTES;
                return blocks ? MemoryEstimate.vqRowBlockBytes(info, dim, VqConfig.DEFAULT_BLOCK_SUBVECTORS)
                        : MemoryEstimate.vqTaskBytes(info, dim);
            }
            default:
                return -1;
        }
    }

    private static String valueOf(List<String> args, String option, String otherwise) {
        int i = args.indexOf(option);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : otherwise;
    }

    /** A model directory with one BF16 matrix of N(0, 0.02^2) weights (reused when present). */
    private static void writeModel(Path model, int rows, int cols) throws IOException {
        Files.createDirectories(model);
        MemCheckCommand.writeMatrix(model.resolve("model.safetensors"), TENSOR, rows, cols);
    }

    /** stats.safetensors and its --full sibling for the one weight (SyntheticGram; reused when present). */
    private static Path writeCalibration(Path model, int cols) throws IOException {
        Path stats = model.resolve("stats.safetensors");
        if (Files.exists(stats) && Files.exists(model.resolve("stats.xtx.safetensors"))) return stats;
        org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.getLocal(new org.apache.hadoop.conf.Configuration());
        SyntheticGram.write(fs, new org.apache.hadoop.fs.Path(stats.toUri()), Map.of(TENSOR, cols), 11);
        return stats;
    }

    static long megabytes(String size) {
        String s = size.trim().toLowerCase();
        if (s.endsWith("g")) return Long.parseLong(s.substring(0, s.length() - 1)) * 1024;
        if (s.endsWith("m")) return Long.parseLong(s.substring(0, s.length() - 1));
        return Long.parseLong(s);
    }

    private static String mib(String field) {
        long bytes = Long.parseLong(field.substring(field.indexOf('=') + 1));
        return bytes < 0 ? "-" : String.format("%.0f", bytes / 1048576.0);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toArray(Path[]::new)) Files.delete(p);
        }
    }
}
