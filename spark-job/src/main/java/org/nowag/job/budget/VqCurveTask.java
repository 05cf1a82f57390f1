package org.nowag.job.budget;

import java.io.IOException;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.nowag.job.exec.KernelThreads;
import org.nowag.job.method.TensorWork;
import org.nowag.job.plan.TargetTensor;
import org.nowag.kernels.budget.CostCurve;
import org.nowag.kernels.budget.VqBitCurve;
import org.nowag.kernels.vq.VqConfig;

/**
 * On an executor: one NoWag-VQ matrix's bit curve (stored bits -> data-aware loss), one short seeded k-means run per
 * candidate code width ({@link VqBitCurve}). Reads the matrix once, as the plug-in's one-task path does; returns
 * only the curve (at most one point per candidate).
 */
public final class VqCurveTask implements Serializable {
    private static final long serialVersionUID = 1L;
    public TargetTensor target;
    /** The run's configuration (its d, seed, storage precision); K and the iterations are the candidate's. */
    public VqConfig base;
    /** diag(X^T X) of the layer (null: data-free), as the plug-in gets it. */
    public float[] activations;
    public int[] bits;
    public int iterations;

    public VqCurveTask() {}

    public VqCurveTask(TargetTensor target, VqConfig base, float[] activations, int[] bits, int iterations) {
        this.target = target;
        this.base = base;
        this.activations = activations;
        this.bits = bits;
        this.iterations = iterations;
    }

    public CostCurve run(Configuration conf) throws IOException {
        float[] w = new TensorWork(target, activations, null).readAll(conf);
        try {
            return VqBitCurve.of(target.name(), w, Math.toIntExact(target.info.rows()),
                    Math.toIntExact(target.info.cols()), activations, base, bits, iterations, KernelThreads.matchTask());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tensor " + target.name() + ": " + e.getMessage(), e);
        }
    }
}
