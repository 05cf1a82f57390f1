package org.nowag.job.spark;

import com.esotericsoftware.kryo.Kryo;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.serializer.KryoRegistrator;
import org.nowag.job.api.CompressionMethod;

/**
 * The one list of classes that cross the wire with Kryo (task descriptions inside parallelized collections, task
 * results, broadcasts, shuffled records), registered in this order on the driver and on every executor, so that
 * {@code spark.kryo.registrationRequired=true} works and no record carries a class name. Spark registers its own
 * classes and the primitive arrays itself. A compression method's own classes come from its plug-in (see {@link #all()}).
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
            // the one compression run: shard tasks, what they carry and what they return
            org.nowag.job.plan.TargetTensor.class,
            org.nowag.job.method.TensorWork.class,
            org.nowag.job.exec.ShardTask.class,
            org.nowag.job.exec.ShardTask.Entry.class,
            org.nowag.job.commit.ShardRecord.class,
            org.nowag.job.api.TensorReport.class,
            // decompression
            org.nowag.job.exec.DecompressShardTask.class,
            // calibration and evaluation
            org.nowag.job.calib.CalibrationTask.class,
            org.nowag.job.calib.GramBand.class,
            org.nowag.job.calib.StagedPiece.class,
            org.nowag.job.calib.StatisticsFileTask.class,
            org.nowag.kernels.model.Perplexity.class,
            org.nowag.job.eval.EvalTask.class,
            org.nowag.job.eval.EvalResult.class,
            // budgets: the loss-curve tasks and the curves they return
            org.nowag.job.budget.CurveTask.class,
            org.nowag.job.budget.OwlTask.class,
            org.nowag.job.budget.VqCurveTask.class,
            org.nowag.kernels.budget.CurveSpec.class,
            org.nowag.kernels.budget.CostCurve.class,
            String[].class,
            boolean[].class);

    /**
     * Every class to register, in registration order: the core list, then each compression method's plug-in and the
     * classes its work, preparation and results carry ({@link org.nowag.job.method.MethodPlugin#kryoClasses}), in
     * the registry's order. A class listed twice is registered once, at its first place.
     */
    public static List<Class<?>> all() {
        Set<Class<?>> all = new LinkedHashSet<>(CORE);
        for (CompressionMethod m : CompressionMethod.values()) {
            all.add(m.plugin().getClass());
            all.addAll(m.plugin().kryoClasses());
        }
        return new ArrayList<>(all);
    }

    @Override
    public void registerClasses(Kryo kryo) {
        for (Class<?> c : all()) kryo.register(c);
    }
}
