package org.nowag.job.exec;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.fs.AtomicFiles;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.calib.FullGramFile;
import org.nowag.job.plan.RowBlock;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.nowag.kernels.prune.PruneResult;
import org.nowag.kernels.prune.Pruner;
import org.nowag.kernels.prune.SparsityPattern;
import org.nowag.kernels.sparsegpt.OutputLoss;
import org.nowag.kernels.sparsegpt.SparseGpt;

/**
 * One row block: read it from storage, prune it, write the result as a part file (a one-tensor safetensors named
 * "data", in the input dtype) under a temp name and rename. The part is a pure function of the task, so a retried or
 * speculative attempt writes identical bytes and whichever rename lands first wins.
 */
public final class PruneTask implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String PART_TENSOR = "data";

    public final RowBlock block;
    public final CompressionMethod method;
    public final SparsityPattern pattern;
    /** Column norms of the whole tensor; null when the block is the whole tensor (computed here). */
    public final float[] colNorms;
    /** diag(X^T X) of this layer; null = data-free. */
    public final float[] activations;
    public final String partPath;
    /** For a whole-matrix group split in blocks: the matrix's threshold key and this block's share of its ties. */
    public final boolean hasThreshold;
    public final int thresholdKey;
    public final long equalQuota;
    /** SparseGPT only: the full X^T X file, from which this task reads its own layer's [d_in, d_in] matrix. */
    public final String fullGram;

    public PruneTask(RowBlock block, CompressionMethod method, SparsityPattern pattern, float[] colNorms,
                     float[] activations, String partPath) {
        this(block, method, pattern, colNorms, activations, partPath, false, 0, 0, null);
    }

    private PruneTask(RowBlock block, CompressionMethod method, SparsityPattern pattern, float[] colNorms,
                      float[] activations, String partPath, boolean hasThreshold, int thresholdKey, long equalQuota,
                      String fullGram) {
        this.block = block;
        this.method = method;
        this.pattern = pattern;
        this.colNorms = colNorms;
        this.activations = activations;
        this.partPath = partPath;
        this.hasThreshold = hasThreshold;
        this.thresholdKey = thresholdKey;
        this.equalQuota = equalQuota;
        this.fullGram = fullGram;
    }

    /** This task, pruning against a whole-matrix threshold found by the histogram passes. */
    public PruneTask withThreshold(int key, long quota) {
        return new PruneTask(block, method, pattern, colNorms, activations, partPath, true, key, quota, fullGram);
    }

    /** This task, for SparseGPT: it reads its layer's X^T X from {@code path} (the block is the whole matrix). */
    public PruneTask withFullGram(String path) {
        return new PruneTask(block, method, pattern, colNorms, activations, partPath, hasThreshold, thresholdKey,
                equalQuota, path);
    }

    public PartSummary run(Configuration conf) throws IOException {
        KernelThreads.matchTask();
        long start = System.nanoTime();
        Path shard = new Path(block.shardPath);
        int rows = block.rowCount;
        int cols = block.cols();
        long n = (long) rows * cols;
        PartSummary summary = new PartSummary();
        summary.tensor = block.tensor.name();
        summary.blockIndex = block.blockIndex;
        summary.numel = n;
        byte[] encoded;
        try (SafetensorsFile in = SafetensorsFile.open(shard.getFileSystem(conf), shard)) {
            if (method == CompressionMethod.COPY) {
                // The I/O floor: the same reads and writes, no conversion, no kernel.
                encoded = in.readBytes(block.tensor.name(), block.rowStart * block.tensor.rowBytes(),
                        Math.toIntExact(rows * block.tensor.rowBytes()));
                summary.kept = n;
            } else {
                float[] w = in.readRowsAsFloat(block.tensor.name(), block.rowStart, rows);
                int bad = firstNonFinite(w);
                if (bad >= 0) {
                    // A kernel on NaN/Inf gives garbage scores; report it and write nothing, the driver decides.
                    summary.nonFinite = true;
                    summary.badIndex = block.rowStart * cols + bad;
                    summary.badValue = w[bad];
                    return summary;
                }
                float[] c = colNorms != null ? colNorms : wholeTensorColumnNorms(w, rows, cols);
                double[] xtx = method == CompressionMethod.SPARSEGPT
                        ? FullGramFile.read(fullGram, block.tensor.name(), cols, conf) : null;
                // SparseGPT factors X^T X in place (U in its upper triangle); the output loss reads what it leaves,
                // the strict lower triangle, and the diagonal saved here: one d_in^2 array for both
                double[] xtxDiagonal = xtx != null ? OutputLoss.diagonal(xtx, cols) : null;
                PruneResult r = xtx != null
                        ? SparseGpt.pruneInPlace(w, rows, cols, xtx, pattern, SparseGpt.DEFAULT_BLOCK_SIZE,
                                SparseGpt.DEFAULT_PERC_DAMP).withLosses(w, rows, cols, c, activations)
                        : hasThreshold
                        ? Pruner.pruneAbove(method.pruneMethod(), w, rows, cols, c, activations, thresholdKey, equalQuota)
                        : Pruner.prune(method.pruneMethod(), pattern, w, rows, cols, c, activations);
                encoded = new byte[Math.toIntExact(n * block.tensor.dtype().bytes())];
                FloatCodec.encode(r.pruned, 0, block.tensor.dtype(), encoded, 0, Math.toIntExact(n));
                summary.kept = r.keptCount;
                summary.proxyLoss = r.proxyLoss;
                summary.proxyEnergy = r.proxyEnergy;
                summary.dataAwareLoss = r.dataAwareLoss;
                if (xtx != null) {
                    summary.outputLoss = OutputLoss.ofLowerTriangle(w, r.pruned, rows, cols, xtx, xtxDiagonal);
                }
            }
        }
        summary.bytesRead = encoded.length;
        TensorSpec spec = new TensorSpec(PART_TENSOR, block.tensor.dtype(), partShape(rows));
        Path part = new Path(partPath);
        FileSystem outFs = part.getFileSystem(conf);
        FaultInjection.beforeWrite(summary.tensor, outFs, part, encoded);
        AtomicFiles.write(outFs, part, out ->
                SafetensorsWriter.write(out, List.of(spec), summary.toMetadata(), (s, o) -> o.write(encoded)));
        summary.seconds = (System.nanoTime() - start) / 1e9;
        return summary;
    }

    static int firstNonFinite(float[] w) {
        for (int i = 0; i < w.length; i++) {
            if (!Float.isFinite(w[i])) return i;
        }
        return -1;
    }

    private long[] partShape(int rows) {
        long[] shape = block.tensor.shape();
        shape[0] = rows;
        return shape;
    }

    private static float[] wholeTensorColumnNorms(float[] w, int rows, int cols) {
        double[] sums = new double[cols];
        NoWagNormalizer.accumulateColumnSumSquares(w, rows, cols, sums);
        return NoWagNormalizer.columnNorms(sums);
    }

    /** The summary a committed part recorded, read from its header only. */
    public static PartSummary readSummary(FileSystem fs, Path part) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(fs, part)) {
            return PartSummary.fromMetadata(f.header().metadata(), f.header().tensor(PART_TENSOR).byteSize());
        }
    }
}
