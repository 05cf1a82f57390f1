package org.nowag.kernels.sparsegpt;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nowag.kernels.Checks;

/**
 * The layer's real output error on the calibration data, ||(W - W_hat) X^T||_F^2 = sum_r d_r (X^T X) d_r^T with
 * d_r row r of W - W_hat: what SparseGPT minimises, computed from the full X^T X (not its diagonal). Double.
 */
public final class OutputLoss {
    private OutputLoss() {}

    public static double of(float[] w, float[] wHat, int rows, int cols, double[] xtx) {
        Checks.matrix(w, rows, cols, "w");
        Checks.matrix(wHat, rows, cols, "wHat");
        if (xtx == null || xtx.length != (long) cols * cols) {
            throw new IllegalArgumentException("X^T X must be [" + cols + ", " + cols + "] for d_in=" + cols);
        }
        double[] d = new double[w.length];
        for (int k = 0; k < d.length; k++) d[k] = (double) w[k] - (double) wHat[k];
        INDArray dm = Nd4j.create(d, new long[] {rows, cols}, DataType.DOUBLE);
        INDArray g = Nd4j.create(xtx, new long[] {cols, cols}, DataType.DOUBLE);
        double[] dg = dm.mmul(g).dup('c').data().asDouble();
        double sum = 0;
        for (int k = 0; k < d.length; k++) sum += d[k] * dg[k];
        return sum;
    }
}
