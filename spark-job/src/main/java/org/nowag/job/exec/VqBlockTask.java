package org.nowag.job.exec;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.fs.AtomicFiles;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.nowag.kernels.vq.BlockedKMeans;
import org.nowag.kernels.vq.NoWagVq;
import org.nowag.kernels.vq.VqBlockSums;
import org.nowag.kernels.vq.VqConfig;
import org.nowag.kernels.vq.VqGeometry;
import org.nowag.kernels.vq.WeightedKMeans;

/**
 * One k-means block (whole rows) of a matrix whose NoWag-VQ runs over row blocks on executors. Each pass reads the
 * block's rows from storage again (an executor never holds more than its block), calls the same kernel functions
 * {@link NoWagVq#quantize} calls on that block, and returns only sums. Codes persist between iterations in small
 * files in the run's staging directory, one per block and iteration, written temp-then-rename: every pass is a
 * pure function of its inputs, so a retried attempt writes the same bytes.
 */
public final class VqBlockTask implements Serializable {
    private static final long serialVersionUID = 1L;

    public String shardPath;
    public String tensor;
    public int block;
    public int rowStart;
    public int rowCount;
    public VqGeometry geometry;
    public VqConfig config;
    /** diag(X^T X) of the layer; null = data-free. */
    public float[] activations;
    /** Directory for this matrix's codes files. */
    public String scratchDir;

    public VqBlockTask() {}

    public VqBlockTask(String shardPath, String tensor, int block, VqGeometry geometry, VqConfig config,
                       float[] activations, String scratchDir) {
        this.shardPath = shardPath;
        this.tensor = tensor;
        this.block = block;
        this.rowStart = geometry.blockStart(block);
        this.rowCount = geometry.blockRowCount(block);
        this.geometry = geometry;
        this.config = config;
        this.activations = activations;
        this.scratchDir = scratchDir;
    }

    /** Pass 1: this block's column sums of squares. */
    public double[] columnSumSquares(Configuration conf) throws IOException {
        return VqBlockSums.columnSumSquares(read(conf), 0, rowCount, geometry.cols);
    }

    /** What pass 2 returns: the block's row norms (as stored), its sums, and its share of the k-means++ sample. */
    public static final class Prepared implements Serializable {
        private static final long serialVersionUID = 1L;
        public float[] rowNorms;
        public double wBarSum;
        public double energy;
        /** The sampled subvectors of this block, in order, padding coordinates left 0 (the driver fills them). */
        public float[] sample;
    }

    /**
     * Pass 2, given c: r of this block's rows, sum and energy of its W_bar, and the subvectors of the k-means++ sample
     * that fall in it (sample = sorted global subvector indices; null = every subvector).
     */
    public Prepared prepare(Configuration conf, float[] colNorms, int[] sample) throws IOException {
        float[] w = read(conf);
        Prepared p = new Prepared();
        p.rowNorms = NoWagVq.rowNorms(w, rowCount, geometry.cols, colNorms, config);
        float[] wBar = NoWagNormalizer.normalize(w, rowCount, geometry.cols, colNorms, p.rowNorms);
        p.wBarSum = VqBlockSums.sum(wBar, 0, rowCount, geometry.cols);
        p.energy = VqBlockSums.energy(wBar, 0, rowCount, geometry.cols, activations);
        float[] data = VqBlockSums.subvectors(wBar, 0, rowCount, geometry, 0f);
        int first = rowStart * geometry.groups;
        int end = first + rowCount * geometry.groups;
        int d = geometry.dim;
        if (sample == null) {
            p.sample = data;
        } else {
            int lo = lowerBound(sample, first);
            int hi = lowerBound(sample, end);
            p.sample = new float[(hi - lo) * d];
            for (int i = lo; i < hi; i++) System.arraycopy(data, (sample[i] - first) * d, p.sample, (i - lo) * d, d);
        }
        return p;
    }

    /**
     * One iteration on this block: assignment against {@code codebook} (starting from the codes the previous
     * iteration wrote), the new codes written for the next one, and the block's partial sums.
     */
    public BlockedKMeans.Partial iterate(Configuration conf, float[] colNorms, float[] rowNorms, float pad,
                                         float[] codebook, int k, int iteration) throws IOException {
        int threads = KernelThreads.matchTask();
        float[] data = subvectors(conf, colNorms, rowNorms, pad);
        int[] codes = iteration == 0 ? minusOnes(rowCount * geometry.groups) : readCodes(conf, iteration - 1);
        BlockedKMeans.Partial p = WeightedKMeans.assignAndSum(data, 0, codes.length, geometry.dim,
                geometry.paddedWeights(activations), geometry.groups, codebook, k, codes, threads);
        writeCodes(conf, iteration, codes);
        return p;
    }

    /** What the last pass returns: the block's final codes and its share of the losses. */
    public static final class Finished implements Serializable {
        private static final long serialVersionUID = 1L;
        public int[] codes;
        public double kMeansLoss;
        public double proxyLoss;
        public double dataAwareLoss;
    }

    /** Final pass: the codes of the last iteration, their k-means loss, and proxy and data-aware losses as stored. */
    public Finished finish(Configuration conf, float[] colNorms, float[] rowNorms, float pad, float[] kMeansCodebook,
                           float[] storedCodebook, int lastIteration) throws IOException {
        KernelThreads.matchTask();
        float[] w = read(conf);
        float[] wBar = NoWagNormalizer.normalize(w, rowCount, geometry.cols, colNorms, rowNorms);
        float[] data = VqBlockSums.subvectors(wBar, 0, rowCount, geometry, pad);
        Finished f = new Finished();
        f.codes = readCodes(conf, lastIteration);
        f.kMeansLoss = WeightedKMeans.loss(data, 0, f.codes.length, geometry.dim, geometry.paddedWeights(activations),
                geometry.groups, f.codes, kMeansCodebook);
        double[] l = VqBlockSums.losses(w, wBar, 0, rowCount, geometry, f.codes, storedCodebook, rowNorms, colNorms,
                activations);
        f.proxyLoss = l[0];
        f.dataAwareLoss = l[1];
        return f;
    }

    private float[] subvectors(Configuration conf, float[] colNorms, float[] rowNorms, float pad) throws IOException {
        float[] w = read(conf);
        float[] wBar = NoWagNormalizer.normalize(w, rowCount, geometry.cols, colNorms, rowNorms);
        return VqBlockSums.subvectors(wBar, 0, rowCount, geometry, pad);
    }

    private float[] read(Configuration conf) throws IOException {
        Path shard = new Path(shardPath);
        try (SafetensorsFile in = SafetensorsFile.open(shard.getFileSystem(conf), shard)) {
            return in.readRowsAsFloat(tensor, rowStart, rowCount);
        }
    }

    /** The codes file of this block after iteration {@code iteration}. */
    public Path codesFile(int iteration) {
        return codesFile(scratchDir, block, iteration);
    }

    public static Path codesFile(String scratchDir, int block, int iteration) {
        return new Path(scratchDir, String.format("block-%05d-iter-%05d.codes", block, iteration));
    }

    private void writeCodes(Configuration conf, int iteration, int[] codes) throws IOException {
        Path p = codesFile(iteration);
        AtomicFiles.write(p.getFileSystem(conf), p, out -> {
            DataOutputStream data = new DataOutputStream(new java.io.BufferedOutputStream(out, 1 << 16));
            for (int c : codes) data.writeInt(c);
            data.flush();
        });
    }

    private int[] readCodes(Configuration conf, int iteration) throws IOException {
        Path p = codesFile(iteration);
        FileSystem fs = p.getFileSystem(conf);
        int[] codes = new int[rowCount * geometry.groups];
        long expected = (long) codes.length * Integer.BYTES;
        long actual = fs.getFileStatus(p).getLen();
        if (actual != expected) {
            throw new IOException(p + " holds " + actual + " bytes, expected " + expected + " (" + codes.length + " codes)");
        }
        try (FSDataInputStream in = fs.open(p);
             DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16))) {
            for (int i = 0; i < codes.length; i++) codes[i] = data.readInt();
        }
        return codes;
    }

    private static int[] minusOnes(int n) {
        int[] a = new int[n];
        Arrays.fill(a, -1);
        return a;
    }

    /** First index i with a[i] >= key (a sorted). */
    static int lowerBound(int[] a, int key) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
