package org.nowag.job.budget;

import java.io.IOException;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.nowag.job.method.TensorWork;
import org.nowag.job.plan.RowBlock;
import org.nowag.job.plan.TargetTensor;
import org.nowag.kernels.budget.CostCurve;
import org.nowag.kernels.budget.CurveSpec;
import org.nowag.kernels.budget.PruneSketch;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.nowag.kernels.prune.PruneMethod;

/**
 * On an executor: one matrix's loss curve (kept weights -> calibrated data-aware loss Σ s_j (W - Ŵ)²), from one pass
 * over its row blocks with the pruner's own importance (the whole matrix's column norms first, when it is split in
 * blocks). Returns the curve only: at most maxSegments + 1 points, whatever the matrix's size.
 */
public final class CurveTask implements Serializable {
    private static final long serialVersionUID = 1L;
    public TargetTensor target;
    public PruneMethod kernel;
    public CurveSpec spec;
    /** diag(X^T X) of the layer (null: data-free, every input weighted 1), as the pruner gets it. */
    public float[] activations;
    public int maxSegments;
    /** Per-row group: the kept-per-row grid of the curve; null for the whole-matrix group. */
    public int[] keptPerRow;

    public CurveTask() {}

    public CurveTask(TargetTensor target, PruneMethod kernel, CurveSpec spec, float[] activations, int maxSegments,
                     int[] keptPerRow) {
        this.target = target;
        this.kernel = kernel;
        this.spec = spec;
        this.activations = activations;
        this.maxSegments = maxSegments;
        this.keptPerRow = keptPerRow;
    }

    public CostCurve run(Configuration conf) throws IOException {
        TensorWork work = new TensorWork(target, activations, null);
        int cols = Math.toIntExact(target.info.cols());
        float[] colNorms;
        PruneSketch sketch = null;
        if (target.blocks.size() == 1) {
            RowBlock b = target.blocks.get(0);
            float[] w = work.readRows(conf, b.rowStart, b.rowCount);
            colNorms = columnNorms(w, b.rowCount, cols);
            sketch = PruneSketch.of(kernel, spec, w, b.rowCount, cols, colNorms, activations);
        } else {
            // Two passes, one block in memory at a time: the column norms need every row before any block is ranked.
            double[] sums = new double[cols];
            for (RowBlock b : target.blocks) {
                NoWagNormalizer.accumulateColumnSumSquares(work.readRows(conf, b.rowStart, b.rowCount), b.rowCount, cols, sums);
            }
            colNorms = NoWagNormalizer.columnNorms(sums);
            for (RowBlock b : target.blocks) {  // block order: bit-identical sums on every run
                float[] w = work.readRows(conf, b.rowStart, b.rowCount);
                PruneSketch s = PruneSketch.of(kernel, spec, w, b.rowCount, cols, colNorms, activations);
                sketch = sketch == null ? s : sketch.merge(s);
            }
        }
        return sketch.toCurve(target.name(), target.info.numel(), maxSegments, keptPerRow);
    }

    private static float[] columnNorms(float[] w, int rows, int cols) {
        double[] sums = new double[cols];
        NoWagNormalizer.accumulateColumnSumSquares(w, rows, cols, sums);
        return NoWagNormalizer.columnNorms(sums);
    }
}
