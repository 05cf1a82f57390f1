package org.nowag.job.exec;

import java.io.IOException;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.fs.AtomicFiles;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.vq.VqTensors;
import org.nowag.job.plan.RowBlock;
import org.nowag.kernels.vq.NoWagVq;
import org.nowag.kernels.vq.VqConfig;
import org.nowag.kernels.vq.VqResult;

/**
 * One whole matrix (a shared codebook needs every row): read it, run NoWag-VQ, write a part holding the four VQ
 * tensors under their final names, temp name then rename. The k-means is seeded, so a retried or speculative
 * attempt writes the same bytes.
 */
public final class VqTask implements Serializable {
    private static final long serialVersionUID = 1L;

    public final RowBlock block;
    public final VqConfig config;
    /** diag(X^T X) of this layer; null = data-free. */
    public final float[] activations;
    public final String partPath;

    public VqTask(RowBlock block, VqConfig config, float[] activations, String partPath) {
        if (block.blockCount != 1 || block.rowStart != 0) {
            throw new IllegalArgumentException("NoWag-VQ needs the whole matrix " + block.tensor.name() + " in one task");
        }
        this.block = block;
        this.config = config;
        this.activations = activations;
        this.partPath = partPath;
    }

    public VqPartSummary run(Configuration conf) throws IOException {
        int threads = KernelThreads.matchTask();
        long start = System.nanoTime();
        String name = block.tensor.name();
        int rows = block.rowCount;
        int cols = block.cols();
        float[] w;
        Path shard = new Path(block.shardPath);
        try (SafetensorsFile in = SafetensorsFile.open(shard.getFileSystem(conf), shard)) {
            w = in.readRowsAsFloat(name, 0, rows);
        }
        VqResult r;
        try {
            r = NoWagVq.quantize(w, rows, cols, activations, config, threads);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tensor " + name + ": " + e.getMessage(), e);
        }
        return writePart(conf, name, r, partPath, start);
    }

    /**
     * Writes the part of one quantized matrix (the four VQ tensors under their final names, the summary in the
     * header), temp name then rename; shared by the one-task path and the row-block path, so both write the same
     * bytes for the same result.
     */
    public static VqPartSummary writePart(Configuration conf, String name, VqResult r, String partPath, long startNanos)
            throws IOException {
        VqTensors stored = new VqTensors(r.rows, r.cols, r.dim, r.codes, r.codebook, r.rowNorms, r.colNorms,
                r.halfStorage ? DType.F16 : DType.F32);
        VqPartSummary s = summary(name, r);
        Path part = new Path(partPath);
        FileSystem outFs = part.getFileSystem(conf);
        AtomicFiles.write(outFs, part, out -> SafetensorsWriter.write(out, stored.specs(name), s.toMetadata(),
                (spec, o) -> o.write(stored.bytes(spec.name()))));
        s.bytesWritten = stored.specs(name).stream().mapToLong(t -> t.byteSize()).sum();
        s.seconds = (System.nanoTime() - startNanos) / 1e9;
        return s;
    }

    private static VqPartSummary summary(String name, VqResult r) {
        VqPartSummary s = new VqPartSummary();
        s.tensor = name;
        s.numel = (long) r.rows * r.cols;
        s.dim = r.dim;
        s.codebookSize = r.codebookSize;
        s.codeBits = r.codeBits;
        s.iterations = r.kMeans.iterations;
        s.converged = r.kMeans.converged;
        s.kMeansLosses = r.kMeans.lossPerIteration.clone();
        s.proxyLoss = r.proxyLoss;
        s.proxyEnergy = r.proxyEnergy;
        s.dataAwareLoss = r.dataAwareLoss;
        s.codeBitsPerWeight = r.codeBitsPerWeight();
        s.codebookBitsPerWeight = r.codebookBitsPerWeight();
        s.normBitsPerWeight = r.normBitsPerWeight();
        s.bitsPerWeight = r.bitsPerWeight();
        s.storedFloat = r.halfStorage ? "F16" : "F32";
        return s;
    }

    /** The summary a committed part recorded, from its header only. */
    public static VqPartSummary readSummary(FileSystem fs, Path part) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(fs, part)) {
            long bytes = f.header().tensors().stream().mapToLong(t -> t.byteSize()).sum();
            return VqPartSummary.fromMetadata(f.header().metadata(), bytes);
        }
    }
}
