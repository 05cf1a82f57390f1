package org.nowag.job.exec;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.nowag.io.armor.ArmorTensors;
import org.nowag.io.fs.AtomicFiles;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.job.plan.RowBlock;
import org.nowag.kernels.armor.Armor;
import org.nowag.kernels.armor.ArmorConfig;
import org.nowag.kernels.armor.ArmorResult;

/**
 * One whole matrix (A's and B's blocks couple all rows and all columns): read it, run ARMOR, write a part holding
 * the dense W_hat under the weight's own name (in its original dtype) and the six ARMOR tensors, temp name then
 * rename. ARMOR has no randomness, so a retried or speculative attempt writes the same bytes.
 */
public final class ArmorTask implements Serializable {
    private static final long serialVersionUID = 1L;

    public final RowBlock block;
    public final ArmorConfig config;
    /** diag(X^T X) of this layer; null = data-free. */
    public final float[] activations;
    public final String partPath;

    public ArmorTask(RowBlock block, ArmorConfig config, float[] activations, String partPath) {
        if (block.blockCount != 1 || block.rowStart != 0) {
            throw new IllegalArgumentException("ARMOR needs the whole matrix " + block.tensor.name() + " in one task");
        }
        this.block = block;
        this.config = config;
        this.activations = activations;
        this.partPath = partPath;
    }

    public ArmorPartSummary run(Configuration conf) throws IOException {
        KernelThreads.matchTask();
        long start = System.nanoTime();
        String name = block.tensor.name();
        int rows = block.rowCount;
        int cols = block.cols();
        float[] w;
        Path shard = new Path(block.shardPath);
        try (SafetensorsFile in = SafetensorsFile.open(shard.getFileSystem(conf), shard)) {
            w = in.readRowsAsFloat(name, 0, rows);
        }
        ArmorResult r;
        try {
            r = Armor.compress(w, rows, cols, activations, config.withThreads(taskCpus()), null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tensor " + name + ": " + e.getMessage(), e);
        }
        w = null; // 4 bytes per weight, not needed while W_hat is rebuilt and encoded
        ArmorTensors stored = new ArmorTensors(rows, cols, r.blockSize, r.aBlocks, r.bBlocks, r.values, r.positions,
                r.rowNorms, r.colNorms, r.halfStorage ? DType.F16 : DType.F32);
        DType dense = block.tensor.dtype();
        float[] wHat = r.wHat();
        byte[] denseBytes = new byte[Math.toIntExact((long) wHat.length * dense.bytes())];
        FloatCodec.encode(wHat, 0, dense, denseBytes, 0, wHat.length);
        List<TensorSpec> specs = new ArrayList<>();
        specs.add(new TensorSpec(name, dense, new long[] {rows, cols}));
        specs.addAll(stored.specs(name));
        ArmorPartSummary s = summary(name, r);
        Path part = new Path(partPath);
        FileSystem outFs = part.getFileSystem(conf);
        AtomicFiles.write(outFs, part, out -> SafetensorsWriter.write(out, specs, s.toMetadata(),
                (spec, o) -> o.write(spec.name().equals(name) ? denseBytes : stored.bytes(spec.name()))));
        s.bytesWritten = specs.stream().mapToLong(TensorSpec::byteSize).sum();
        s.seconds = (System.nanoTime() - start) / 1e9;
        return s;
    }

    /**
     * The cores Spark gave this task (spark.task.cpus), which the kernel may use for its per-block loops; 1 outside a
     * Spark task. The output does not depend on it.
     */
    static int taskCpus() {
        TaskContext ctx = TaskContext.get();
        return ctx == null ? 1 : Math.max(1, ctx.cpus());
    }

    private static ArmorPartSummary summary(String name, ArmorResult r) {
        ArmorPartSummary s = new ArmorPartSummary();
        s.tensor = name;
        s.numel = (long) r.rows * r.cols;
        s.blockSize = r.blockSize;
        s.iterations = r.losses.length - 1;
        s.losses = r.losses.clone();
        s.stepsRejected = r.stepsRejected;
        s.proxyLoss = r.proxyLoss;
        s.proxyEnergy = r.proxyEnergy;
        s.dataAwareLoss = r.dataAwareLoss;
        s.coreBitsPerWeight = r.coreBitsPerWeight();
        s.wrapperBitsPerWeight = r.wrapperBitsPerWeight();
        s.normBitsPerWeight = r.normBitsPerWeight();
        s.bitsPerWeight = r.bitsPerWeight();
        s.storedFloat = r.halfStorage ? "F16" : "F32";
        return s;
    }

    /** The summary a committed part recorded, from its header only. */
    public static ArmorPartSummary readSummary(FileSystem fs, Path part) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(fs, part)) {
            long bytes = f.header().tensors().stream().mapToLong(t -> t.byteSize()).sum();
            return ArmorPartSummary.fromMetadata(f.header().metadata(), bytes);
        }
    }
}
