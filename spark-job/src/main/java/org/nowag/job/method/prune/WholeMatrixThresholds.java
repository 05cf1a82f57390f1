package org.nowag.job.method.prune;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.nowag.job.plan.RowBlock;
import org.nowag.job.plan.TargetTensor;
import org.nowag.job.spark.HadoopConfBytes;
import org.nowag.kernels.prune.BlockedThreshold;
import org.nowag.kernels.prune.PruneMethod;
import scala.Tuple2;

/**
 * The exact whole-matrix threshold of tensors split in row blocks, from two histogram passes on the executors.
 * Histograms are summed per tensor by reduceByKey on the executors and the cut is taken there too, so the driver
 * only receives a few numbers per tensor, never a histogram per block.
 */
public final class WholeMatrixThresholds {
    /** A tensor's threshold key and, per block in order, how many scores equal to it that block keeps. */
    static final class Quotas {
        final int key;
        final long[] perBlock;

        Quotas(int key, long[] perBlock) {
            this.key = key;
            this.perBlock = perBlock;
        }
    }

    private WholeMatrixThresholds() {}

    static Map<String, Quotas> compute(JavaSparkContext spark, List<TargetTensor> tensors, PruneMethod method,
                                       Map<String, float[]> colNorms, Map<String, float[]> activations,
                                       Map<String, Long> keptPerTensor, Broadcast<byte[]> conf) {
        Map<String, Quotas> result = new HashMap<>();
        List<ScoreHistogramTask> pass1 = new ArrayList<>();
        for (TargetTensor t : tensors) {
            long k = keptPerTensor.get(t.name());
            if (k == 0) {
                result.put(t.name(), new Quotas(BlockedThreshold.KEEP_NONE, new long[t.blocks.size()]));
                continue;
            }
            for (RowBlock b : t.blocks) {
                pass1.add(new ScoreHistogramTask(b, method, colNorms.get(t.name()), activations.get(t.name()), -1));
            }
        }
        if (pass1.isEmpty()) return result;
        HashMap<String, Long> kept = new HashMap<>(keptPerTensor);

        spark.setJobDescription("nowag whole-matrix threshold, pass 1: " + pass1.size() + " blocks");
        Map<String, BlockedThreshold.Cut> cuts = new HashMap<>(spark.parallelize(pass1, pass1.size())
                .mapToPair(t -> new Tuple2<>(t.block.tensor.name(), t.run(HadoopConfBytes.fromBytes(conf.value()))))
                .reduceByKey(BlockedThreshold::add)
                .mapToPair(e -> new Tuple2<>(e._1, BlockedThreshold.cut(e._2, kept.get(e._1))))
                .collectAsMap());

        List<ScoreHistogramTask> pass2 = new ArrayList<>();
        for (ScoreHistogramTask t : pass1) {
            pass2.add(new ScoreHistogramTask(t.block, method, t.colNorms, t.activations, cuts.get(t.block.tensor.name()).bin));
        }
        spark.setJobDescription("nowag whole-matrix threshold, pass 2: " + pass2.size() + " blocks");
        JavaPairRDD<String, Tuple2<Integer, long[]>> low = spark.parallelize(pass2, pass2.size())
                .mapToPair(t -> new Tuple2<>(t.block.tensor.name(),
                        new Tuple2<>(t.block.blockIndex, t.run(HadoopConfBytes.fromBytes(conf.value())))))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            HashMap<String, BlockedThreshold.Cut> cutsForExecutors = new HashMap<>(cuts);
            // Cached histograms are shared objects: sum into fresh arrays.
            Map<String, BlockedThreshold.Threshold> thresholds = new HashMap<>(low
                    .mapValues(Tuple2::_2)
                    .reduceByKey((a, b) -> BlockedThreshold.add(a.clone(), b))
                    .mapToPair(e -> new Tuple2<>(e._1, BlockedThreshold.threshold(cutsForExecutors.get(e._1), e._2, kept.get(e._1))))
                    .collectAsMap());
            HashMap<String, Integer> keys = new HashMap<>();
            thresholds.forEach((name, t) -> keys.put(name, t.key));
            List<Tuple2<String, Tuple2<Integer, Long>>> equalCounts = low
                    .mapToPair(e -> new Tuple2<>(e._1, new Tuple2<>(e._2._1,
                            e._2._2[keys.get(e._1) & (BlockedThreshold.LOW_BINS - 1)])))
                    .collect();
            Map<String, long[]> equalPerBlock = new HashMap<>();
            for (TargetTensor t : tensors) equalPerBlock.put(t.name(), new long[t.blocks.size()]);
            for (Tuple2<String, Tuple2<Integer, Long>> e : equalCounts) equalPerBlock.get(e._1)[e._2._1] = e._2._2;
            thresholds.forEach((name, t) -> result.put(name, new Quotas(t.key, quotas(equalPerBlock.get(name), t.equalToKeep))));
        } finally {
            low.unpersist();
            spark.setJobDescription(null);
        }
        return result;
    }

    /** Ties at the threshold go to the lowest row-major index: fill blocks in order. */
    public static long[] quotas(long[] equalPerBlock, long equalToKeep) {
        long[] quota = new long[equalPerBlock.length];
        long remaining = equalToKeep;
        for (int b = 0; b < quota.length; b++) {
            quota[b] = Math.min(equalPerBlock[b], remaining);
            remaining -= quota[b];
        }
        if (remaining != 0) throw new IllegalStateException("threshold ties not placed: " + remaining);
        return quota;
    }
}
