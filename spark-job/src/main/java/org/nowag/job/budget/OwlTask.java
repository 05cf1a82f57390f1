package org.nowag.job.budget;

import java.io.IOException;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.nowag.job.method.TensorWork;
import org.nowag.job.plan.RowBlock;
import org.nowag.job.plan.TargetTensor;
import org.nowag.kernels.budget.Owl;

/**
 * On an executor: one matrix's share of OWL's outlier ratio, block by block over its Wanda metric |W_ij| * ||X_j||
 * (||X_j|| = sqrt(diag(X^T X)_j), 1 data-free). Pass 1 (threshold NaN) returns {sum, count}; pass 2 returns
 * {count above threshold, count}, with threshold = M * the layer's mean from pass 1. Two numbers back per matrix.
 */
public final class OwlTask implements Serializable {
    private static final long serialVersionUID = 1L;
    public TargetTensor target;
    public float[] activations;
    public double threshold = Double.NaN;

    public OwlTask() {}

    public OwlTask(TargetTensor target, float[] activations, double threshold) {
        this.target = target;
        this.activations = activations;
        this.threshold = threshold;
    }

    public double[] run(Configuration conf) throws IOException {
        TensorWork work = new TensorWork(target, activations, null);
        int cols = Math.toIntExact(target.info.cols());
        float[] norm = new float[cols];
        for (int j = 0; j < cols; j++) norm[j] = activations == null ? 1f : (float) Math.sqrt(activations[j]);
        double a = 0;
        double count = 0;
        for (RowBlock b : target.blocks) {
            float[] w = work.readRows(conf, b.rowStart, b.rowCount);
            for (int i = 0; i < w.length; i++) w[i] = Math.abs(w[i]) * norm[i % cols];
            if (Double.isNaN(threshold)) {
                a += Owl.sumAndCount(w)[0];
            } else {
                a += Owl.countAbove(w, threshold);
            }
            count += w.length;
        }
        return new double[] {a, count};
    }
}
