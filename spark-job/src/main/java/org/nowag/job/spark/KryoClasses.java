package org.nowag.job.spark;

import com.esotericsoftware.kryo.Kryo;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * The one list of classes that cross the wire with Kryo (task descriptions inside parallelized collections, task
 * results, broadcasts, shuffled records), registered in this order on the driver and on every executor, so that
 * {@code spark.kryo.registrationRequired=true} works and no record carries a class name. Spark registers its own
 * classes and the primitive arrays itself. A plug-in that brings its own task classes adds them to {@link #all()}.
 * Plain classes only: Spark's Kryo 4 cannot serialize Java records.
 */
public final class KryoClasses implements KryoRegistrator {
    /** Ours and the JDK classes inside them, in a fixed order (Kryo ids are handed out in registration order). */
    private static final List<Class<?>> CORE = List.of(
            // JDK containers and arrays our task fields and results hold
            java.util.ArrayList.class,
            java.util.HashMap.class,
            java.util.LinkedHashMap.class,
            int[][].class,
            float[][].class,
            double[][].class,
            long[][].class,
            // planning and I/O descriptions
            org.nowag.job.plan.RowBlock.class,
            org.nowag.io.fs.FileDigest.class,
            org.nowag.io.safetensors.TensorInfo.class,
            org.nowag.io.safetensors.TensorSpec.class,
            org.nowag.io.safetensors.DType.class,
            org.nowag.kernels.prune.SparsityPattern.class,
            org.nowag.kernels.prune.SparsityPattern.Group.class,
            org.nowag.kernels.prune.PruneMethod.class,
            org.nowag.kernels.prune.BlockedThreshold.Cut.class,
            org.nowag.kernels.prune.BlockedThreshold.Threshold.class,
            org.nowag.job.api.CompressionMethod.class,
            // pruning, shards, digests, Arrow parts, decompression
            org.nowag.job.exec.PruneTask.class,
            org.nowag.job.exec.PartSummary.class,
            org.nowag.job.exec.ColumnStatsTask.class,
            org.nowag.job.exec.ScoreHistogramTask.class,
            org.nowag.job.exec.ShardWriteTask.class,
            org.nowag.job.exec.ShardSource.class,
            org.nowag.job.exec.DigestTask.class,
            org.nowag.job.exec.ArrowPartsTask.class,
            org.nowag.job.exec.DecompressShardTask.class,
            // NoWag-VQ (whole matrix and row blocks)
            org.nowag.kernels.vq.VqConfig.class,
            org.nowag.kernels.vq.VqGeometry.class,
            org.nowag.kernels.vq.BlockedKMeans.Partial.class,
            org.nowag.job.exec.VqTask.class,
            org.nowag.job.exec.VqPartSummary.class,
            org.nowag.job.exec.VqBlockTask.class,
            org.nowag.job.exec.VqBlockTask.Prepared.class,
            org.nowag.job.exec.VqBlockTask.Finished.class,
            // ARMOR
            org.nowag.kernels.armor.ArmorConfig.class,
            org.nowag.job.exec.ArmorTask.class,
            org.nowag.job.exec.ArmorPartSummary.class,
            // calibration and evaluation
            org.nowag.job.calib.CalibrationTask.class,
            org.nowag.job.calib.GramBand.class,
            org.nowag.job.calib.StagedPiece.class,
            org.nowag.job.calib.StatisticsFileTask.class,
            org.nowag.kernels.model.Perplexity.class,
            org.nowag.job.eval.EvalTask.class,
            org.nowag.job.eval.EvalResult.class);

    /** Every class to register, in registration order. */
    public static List<Class<?>> all() {
        List<Class<?>> all = new ArrayList<>(CORE);
        return all;
    }

    @Override
    public void registerClasses(Kryo kryo) {
        for (Class<?> c : all()) kryo.register(c);
    }
}
