package org.nowag.tools.measure;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.method.MethodPlugin;
import org.nowag.job.method.PlanContext;
import org.nowag.job.method.TensorWork;
import org.nowag.job.method.prune.ColumnStatsTask;
import org.nowag.job.plan.TargetTensor;
import org.nowag.job.plan.RowBlock;
import org.nowag.kernels.prune.SparsityPattern;
import org.nowag.kernels.vq.VqConfig;

/**
 * Child-JVM main for {@code mem-check}: runs ONE executor task on a whole one-tensor safetensors file, under the
 * -Xmx the parent gave, and prints "ok peak=BYTES live=BYTES" (HeapWatch's figures) when it completes. An
 * OutOfMemoryError ends the JVM with a non-zero status (the parent passes -XX:+ExitOnOutOfMemoryError).
 * Arguments: shard, tensor, step ("colnorms", "vq:DIM:BITS:ITERS" or a method name), [pattern]; or
 * "calibrate-map D_IN TOKENS" / "calibrate-reduce D_IN PARTIALS" (one calibrate task on one input width); or "compress" and a
 * whole {@code nowag compress} command line (driver and executor in this one JVM, {@code --master local[1]}), after
 * which it also prints the process's peak resident set (heap, ND4J's off-heap buffers and the JVM's own).
 */
public final class MemoryProbe {
    private MemoryProbe() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("compress")) {
            compress(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args[0].startsWith("calibrate-")) {
            try (HeapWatch heap = HeapWatch.start()) {
                org.nowag.job.calib.CalibrationProbe.run(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]));
                heap.close();
                System.out.printf("ok peak=%d live=%d%n", heap.peakBytes(), heap.liveAfterGcBytes());
            }
            return;
        }
        Configuration conf = new Configuration();
        Path shard = new Path(args[0]);
        FileSystem fs = shard.getFileSystem(conf);
        TensorInfo info;
        try (SafetensorsFile f = SafetensorsFile.open(fs, shard)) {
            info = f.header().tensors().stream().filter(t -> t.name().equals(args[1])).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no tensor " + args[1] + " in " + shard));
        }
        RowBlock block = new RowBlock(shard.toString(), info, 0, Math.toIntExact(info.rows()), 0, 1);
        String step = args[2];
        try (HeapWatch heap = HeapWatch.start()) {
            if (step.equals("colnorms")) {
                new ColumnStatsTask(block).run(conf);
            } else {
                CompressOptions rule = new CompressOptions().model(shard.getParent().toString()).out("unused");
                if (step.startsWith("vq:")) {
                    String[] p = step.split(":");
                    rule.method(CompressionMethod.NOWAG_VQ).vq(VqConfig.ofBits(Integer.parseInt(p[1]),
                            Integer.parseInt(p[2]), Integer.parseInt(p[3]), 0L));
                } else {
                    rule.method(CompressionMethod.parse(step)).pattern(SparsityPattern.parse(args[3]));
                }
                // One task of the method on the whole tensor (its output counted, not written).
                MethodPlugin method = rule.method().plugin();
                PlanContext ctx = new PlanContext(conf, null, null, Long.MAX_VALUE);
                TargetTensor t = method.plan(info, shard.toString(), method.params(rule, ctx), ctx);
                method.write(new TensorWork(t, null, null), conf, new DiscardingOutput());
            }
            heap.close();
            System.out.printf("ok peak=%d live=%d%n", heap.peakBytes(), heap.liveAfterGcBytes());
        }
    }

    private static void compress(String[] commandLine) throws java.io.IOException {
        int code;
        HeapWatch heap = HeapWatch.start();
        try {
            String[] args = new String[commandLine.length + 1];
            args[0] = "compress";
            System.arraycopy(commandLine, 0, args, 1, commandLine.length);
            code = org.nowag.job.cli.NowagCli.run(args);
        } finally {
            heap.close();
        }
        if (code != 0) System.exit(code);
        System.out.printf("ok peak=%d live=%d rss=%d%n", heap.peakBytes(), heap.liveAfterGcBytes(), peakResidentBytes());
    }

    /** VmHWM of /proc/self/status (Linux): the largest resident set this process had; -1 where there is none. */
    static long peakResidentBytes() throws java.io.IOException {
        java.nio.file.Path status = java.nio.file.Path.of("/proc/self/status");
        if (!java.nio.file.Files.exists(status)) return -1;
        for (String line : java.nio.file.Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }
}
