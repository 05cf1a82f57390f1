package org.nowag.job.method.vq;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nowag.job.exec.VqBlockTask;
import org.nowag.job.api.TensorReport;
import org.nowag.job.method.NonFiniteWeights;
import org.nowag.job.plan.TargetTensor;
import org.nowag.job.spark.HadoopConfBytes;
import org.nowag.kernels.vq.BlockedKMeans;
import org.nowag.kernels.vq.KMeansResult;
import org.nowag.kernels.vq.NoWagVq;
import org.nowag.kernels.vq.VqBlockSums;
import org.nowag.kernels.vq.VqConfig;
import org.nowag.kernels.vq.VqGeometry;
import org.nowag.kernels.vq.VqResult;
import org.nowag.kernels.vq.WeightedKMeans;

/**
 * NoWag-VQ of one matrix too large for one task: k-means over row blocks on executors, the driver holding only the
 * codebook, the norms and the sums. Passes (each one Spark job over the blocks, results in block order):
 * column sums -> c; row norms, W_bar sums and the k-means++ sample -> r, padding value, init on the driver; then per
 * iteration assignment + partial sums on executors and the centroid update on the driver; last, codes and losses.
 * Every sum is taken per block and added in block order, exactly as {@link NoWagVq#quantize} does, so the part it
 * stages is byte-identical to the one-task path's for the same configuration.
 */
final class RowBlockVq {
    private final JavaSparkContext spark;
    private final Broadcast<byte[]> conf;
    private final Consumer<String> log;

    RowBlockVq(JavaSparkContext spark, Broadcast<byte[]> conf, Consumer<String> log) {
        this.spark = spark;
        this.conf = conf;
        this.log = log;
    }

    /**
     * Quantizes t over row blocks and writes the result (its four VQ tensors and its report) to result, temp then
     * rename, for the shard task to copy; intermediate codes live in scratch. Throws {@link NonFiniteWeights} when
     * a block holds NaN or infinite weights.
     */
    TensorReport run(TargetTensor target, VqConfig cfg, float[] activations, Path scratch, Path resultPath)
            throws IOException {
        long start = System.nanoTime();
        String name = target.name();
        org.nowag.kernels.Checks.activationDiagonal(activations, Math.toIntExact(target.info.cols()));
        VqGeometry geo = VqGeometry.of(Math.toIntExact(target.info.rows()), Math.toIntExact(target.info.cols()), cfg);
        Configuration hadoop = spark.hadoopConfiguration();
        FileSystem scratchFs = scratch.getFileSystem(hadoop);
        scratchFs.delete(scratch, true);  // codes of an interrupted earlier attempt at this matrix
        scratchFs.mkdirs(scratch);
        List<VqBlockTask> blocks = new ArrayList<>();
        for (int b = 0; b < geo.blockCount; b++) {
            blocks.add(new VqBlockTask(target.shardPath, name, b, geo, cfg, activations, scratch.toString()));
        }
        log.accept(String.format("nowag-vq %s: k-means over %d row blocks of up to %d rows on executors", name,
                geo.blockCount, geo.blockRows));
        JavaRDD<VqBlockTask> rdd = spark.parallelize(blocks, blocks.size());
        Broadcast<byte[]> confBytes = conf;
        try {
            spark.setJobDescription("nowag-vq " + name + ": column norms");
            double[] colSumSquares = new double[geo.cols];
            for (double[] part : rdd.map(t -> t.columnSumSquares(HadoopConfBytes.fromBytes(confBytes.value()))).collect()) {
                VqBlockSums.addInto(colSumSquares, part);
            }
            for (double v : colSumSquares) {
                if (!Double.isFinite(v)) throw new NonFiniteWeights(name, "a row block holds NaN or infinite weights");
            }
            float[] c = NoWagVq.columnNorms(colSumSquares, cfg);

            int n = geo.subvectors();
            int k = Math.min(cfg.codebookSize, n);
            int[] sample = WeightedKMeans.initSample(n, k, cfg.initSample, cfg.seed);
            spark.setJobDescription("nowag-vq " + name + ": row norms and k-means++ sample");
            List<VqBlockTask.Prepared> prepared = rdd.map(t -> t.prepare(HadoopConfBytes.fromBytes(confBytes.value()), c,
                    sample)).collect();
            float[] r = new float[geo.rows];
            List<float[]> rowNorms = new ArrayList<>();
            double wBarSum = 0;
            double energy = 0;
            int sampled = 0;
            for (int b = 0; b < prepared.size(); b++) {
                VqBlockTask.Prepared p = prepared.get(b);
                System.arraycopy(p.rowNorms, 0, r, geo.blockStart(b), p.rowNorms.length);
                rowNorms.add(p.rowNorms);
                wBarSum += p.wBarSum;
                energy += p.energy;
                sampled += p.sample.length;
            }
            float pad = VqBlockSums.padValue(wBarSum, (long) geo.rows * geo.cols);
            float[] sampleData = new float[sampled];
            for (int b = 0, o = 0; b < prepared.size(); b++) {
                float[] part = prepared.get(b).sample;
                System.arraycopy(part, 0, sampleData, o, part.length);
                o += part.length;
            }
            fillPadding(sampleData, sample, geo, pad);
            // k-means++ runs here on the driver, which waits for it: on all its cores (same centroids for any count)
            float[] init = WeightedKMeans.kMeansPlusPlus(sampleData, geo.dim, geo.paddedWeights(activations),
                    geo.groups, sample, k, cfg.seed, Runtime.getRuntime().availableProcessors());

            BlockedKMeans km = new BlockedKMeans(init, k, geo.dim, cfg.maxIterations);
            while (!km.done()) {
                int iteration = km.iterations();
                float[] codebook = km.codebook().clone();
                spark.setJobDescription("nowag-vq " + name + ": k-means iteration " + (iteration + 1));
                km.step(rdd.map(t -> t.iterate(HadoopConfBytes.fromBytes(confBytes.value()), c, rowNorms.get(t.block),
                        pad, codebook, k, iteration)).collect());
                if (iteration >= 1) deleteCodes(scratchFs, scratch.toString(), geo.blockCount, iteration - 1);
            }
            int last = km.iterations() - 1;
            float[] kmCodebook = km.codebook().clone();
            float[] stored = NoWagVq.storedCodebook(kmCodebook, cfg);
            spark.setJobDescription("nowag-vq " + name + ": codes and losses");
            List<VqBlockTask.Finished> finished = rdd.map(t -> t.finish(HadoopConfBytes.fromBytes(confBytes.value()), c,
                    rowNorms.get(t.block), pad, kmCodebook, stored, last)).collect();
            int[] codes = new int[n];
            double kmLoss = 0;
            double proxy = 0;
            double dataAware = 0;
            for (int b = 0; b < finished.size(); b++) {
                VqBlockTask.Finished f = finished.get(b);
                System.arraycopy(f.codes, 0, codes, geo.blockStart(b) * geo.groups, f.codes.length);
                kmLoss += f.kMeansLoss;
                proxy += f.proxyLoss;
                dataAware += f.dataAwareLoss;
            }
            KMeansResult result = km.result(codes, kmLoss);
            VqResult vq = NoWagVq.assemble(geo, codes, stored, r, c, cfg.halfStorage, result, proxy, energy, dataAware);
            TensorReport report = VqPlugin.report(target, vq, (System.nanoTime() - start) / 1e9);
            VqPlugin.writeStaged(hadoop, resultPath, name, vq, report);
            log.accept(String.format("nowag-vq %s: %d iterations%s over %d row blocks, %.1f s", name,
                    vq.kMeans.iterations, vq.kMeans.converged ? " (converged)" : "", geo.blockCount, report.seconds));
            return report;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("tensor ")) throw e;
            throw new IllegalArgumentException("tensor " + name + ": " + e.getMessage(), e);
        } finally {
            spark.setJobDescription(null);
            scratchFs.delete(scratch, true);
        }
    }

    /** The sampled subvectors came back with 0 in their padded coordinates; the one-task path has the pad value there. */
    private static void fillPadding(float[] sampleData, int[] sample, VqGeometry geo, float pad) {
        if (geo.padding() == 0) return;
        int d = geo.dim;
        int count = sampleData.length / d;
        for (int i = 0; i < count; i++) {
            int g = sample == null ? i : sample[i];
            if (g % geo.groups == geo.groups - 1) {
                for (int t = d - geo.padding(); t < d; t++) sampleData[i * d + t] = pad;
            }
        }
    }

    private static void deleteCodes(FileSystem fs, String scratch, int blocks, int iteration) throws IOException {
        for (int b = 0; b < blocks; b++) fs.delete(VqBlockTask.codesFile(scratch, b, iteration), false);
    }
}
