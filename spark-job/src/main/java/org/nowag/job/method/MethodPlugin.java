package org.nowag.job.method;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.TensorReport;
import org.nowag.job.plan.TargetTensor;
import org.nowag.kernels.prune.SparsityPattern;

/**
 * One compression method as the run sees it: what it plans for a tensor, what it prepares on the driver, how it
 * computes and writes a tensor on an executor, what it reports and what one task costs in memory. The run
 * ({@code org.nowag.job.run.CompressionRun}) does everything else the same way for every method: resume, claim,
 * shard tasks, commit, manifest, reports, {@code _SUCCESS}. Plug-ins are stateless and serializable: a shard task
 * carries the plug-in of each tensor it computes. The registry that lists them is {@link
 * org.nowag.job.api.CompressionMethod}.
 */
public interface MethodPlugin extends Serializable {
    /** The name on the command line ({@code --method}) and in report.json. */
    String name();

    /** The pattern a rule gets when it names none (pruning: 50% unstructured over the method's group). */
    default SparsityPattern defaultPattern() {
        return SparsityPattern.unstructured(0.5, SparsityPattern.Group.MATRIX);
    }

    /**
     * This method's parameters from a rule's settings (today the command line is the one rule), checked; they
     * travel with every tensor the rule selects, so different tensors of one run may carry different parameters.
     */
    MethodParams params(CompressOptions rule, PlanContext ctx) throws IOException;

    /**
     * Checks one selected tensor against the parameters (shape, calibration) and says what the method makes of it:
     * its output tensors in order (replacing the input tensor in the output) and the row blocks its task reads.
     * Headers only.
     */
    TargetTensor plan(TensorInfo tensor, String shard, MethodParams params, PlanContext ctx);

    /**
     * Checks the inputs this method reads besides the weights (SparseGPT: the full X^T X file) for its tensors, and
     * returns text that identifies them for the run's fingerprint ("" when there are none).
     */
    default String checkInputs(List<TargetTensor> mine, PlanContext ctx) throws IOException {
        return "";
    }

    /**
     * Driver work before the shard tasks (it may run Spark stages), for this method's tensors whose shards are not
     * committed yet: column norms of tensors split in row blocks, whole-matrix thresholds, a k-means over row
     * blocks. What a tensor's task needs goes to {@link Preparation#prepared}.
     */
    default void prepare(List<TargetTensor> todo, Preparation prep) throws IOException { }

    /**
     * On an executor: computes one tensor and writes its output tensors, in plan order, to out. The bytes must be a
     * pure function of the work (a retried or duplicate attempt writes the same bytes). Throws {@link
     * NonFiniteWeights} for NaN or infinite input weights (see {@link TensorWork#readRows}).
     */
    TensorReport write(TensorWork work, Configuration conf, TensorOutput out) throws IOException;

    /** Keys of the method's description (quantization_config, provenance) that hold for these parameters. */
    void describeRun(ObjectNode compression, MethodParams params, List<TensorReport> tensors);

    /** This method's keys in a tensor's entry of compression.tensors (name, method, dtype and shape are there). */
    default void describeTensor(ObjectNode entry, TensorReport tensor) { }

    /** Executor heap one task needs for this tensor (the largest of its blocks), from the tensor's shape. */
    long taskBytes(TargetTensor t);

    /** What {@link #taskBytes} counts, in a few words, for `inspect`. */
    String taskBytesCounts();

    /** Off-heap bytes (ND4J) one task needs besides the heap; 0 for methods without native buffers. */
    default long taskOffHeapBytes(TargetTensor t) {
        return 0;
    }

    /**
     * For {@code compress --dry-run}'s rough time: this method's wall seconds on the whole model of the dated bench
     * (2 cores, a 0.967 GB BF16 Llama-shaped model; see the CLI's TimeEstimate), per iteration when {@link
     * #timePerIteration}; NaN when never measured.
     */
    default double benchSeconds() {
        return Double.NaN;
    }

    /** Whether {@link #benchSeconds} is per iteration (the method's work grows with its iterations). */
    default boolean timePerIteration() {
        return false;
    }

    /** Classes this method's work and results carry between driver and executors, for Kryo's registration. */
    List<Class<?>> kryoClasses();

    /** Output tensors that are compressed parts, written again into the shard's Arrow file (VQ codes, ARMOR parts). */
    default boolean isPart(String outputTensor) {
        return false;
    }

    /**
     * Whether each tensor of this method is a task (and an output shard) of its own. True for methods whose kernel
     * takes long per matrix (SparseGPT, VQ, ARMOR), so that matrices run in parallel; the cheap methods share a task
     * and a shard with their neighbours up to {@code --block-mb} of float32.
     */
    default boolean taskPerTensor() {
        return false;
    }
}
