package org.nowag.job.bench;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.exec.ColumnStatsTask;
import org.nowag.job.exec.PruneTask;
import org.nowag.job.exec.VqTask;
import org.nowag.job.plan.RowBlock;
import org.nowag.kernels.prune.SparsityPattern;
import org.nowag.kernels.vq.VqConfig;

/**
 * Child-JVM main for {@code mem-check}: runs ONE executor task on a whole one-tensor safetensors file, under the
 * -Xmx the parent gave, and prints "ok peak=BYTES live=BYTES" (HeapWatch's figures) when it completes. An
 * OutOfMemoryError ends the JVM with a non-zero status (the parent passes -XX:+ExitOnOutOfMemoryError).
 * Arguments: shard, tensor, step ("colnorms", "vq:DIM:BITS:ITERS" or a method name), [pattern].
 */
public final class MemoryProbe {
    private MemoryProbe() {}

    public static void main(String[] args) throws Exception {
        Configuration conf = new Configuration();
        Path shard = new Path(args[0]);
        FileSystem fs = shard.getFileSystem(conf);
        TensorInfo info;
        try (SafetensorsFile f = SafetensorsFile.open(fs, shard)) {
            info = f.header().tensors().stream().filter(t -> t.name().equals(args[1])).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no tensor " + args[1] + " in " + shard));
        }
        RowBlock block = new RowBlock(shard.toString(), info, 0, Math.toIntExact(info.rows()), 0, 1);
        Path part = new Path(shard.getParent(), "probe-part-" + ProcessHandle.current().pid() + ".safetensors");
        String step = args[2];
        try (HeapWatch heap = HeapWatch.start()) {
            if (step.equals("colnorms")) {
                new ColumnStatsTask(block).run(conf);
            } else if (step.startsWith("vq:")) {
                String[] p = step.split(":");
                VqConfig config = VqConfig.ofBits(Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]), 0L);
                new VqTask(block, config, null, part.toString()).run(conf);
            } else {
                new PruneTask(block, CompressionMethod.parse(step), SparsityPattern.parse(args[3]), null, null,
                        part.toString()).run(conf);
            }
            heap.close();
            System.out.printf("ok peak=%d live=%d%n", heap.peakBytes(), heap.liveAfterGcBytes());
        } finally {
            fs.delete(part, false);
        }
    }
}
