package org.nowag.tools.study;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.calib.CalibrationStats;
import org.nowag.kernels.loss.ProxyLoss;
import org.nowag.kernels.norm.NoWagNormalizer;

/**
 * One loss definition for every row, computed from the weights each output stores (not from each method's own
 * report, whose terms differ: SparseGPT's report, for instance, has no NoWag proxy of its updated weights):
 * <ul>
 *   <li>proxy: the NoWag proxy loss sum s_j (W_bar - W_hat_bar)^2 / sum s_j W_bar^2, both normalized with W's own
 *       column and row norms (NoWagNormalizer), summed over the compressed matrices;</li>
 *   <li>data-aware: sum s_j (W - W_hat)^2 / sum s_j W^2 in the original space,</li>
 * </ul>
 * with s = diag(X^T X) from the study's calibration. One matrix at a time.
 */
final class WeightLoss {
    double proxy;
    double proxyEnergy;
    double dataAware;
    double dataAwareEnergy;

    private WeightLoss() {}

    static WeightLoss of(ModelDirectory dense, String compressed, List<String> matrices, CalibrationStats stats,
                         Configuration conf) throws IOException {
        ModelDirectory c = ModelDirectory.open(compressed, conf);
        WeightLoss l = new WeightLoss();
        for (String name : matrices) {
            TensorInfo t = dense.tensor(name);
            int rows = Math.toIntExact(t.rows());
            int cols = Math.toIntExact(t.cols());
            float[] w = read(dense, name, rows);
            float[] wHat = read(c, name, rows);
            float[] s = stats.diagonal(name);
            if (s == null) throw new IllegalArgumentException("the study's calibration has no statistics for " + name);
            double[] colSs = new double[cols];
            NoWagNormalizer.accumulateColumnSumSquares(w, rows, cols, colSs);
            float[] cn = NoWagNormalizer.columnNorms(colSs);
            float[] rn = NoWagNormalizer.rowNorms(w, rows, cols, cn);
            float[] wBar = NoWagNormalizer.normalize(w, rows, cols, cn, rn);
            float[] qBar = NoWagNormalizer.normalize(wHat, rows, cols, cn, rn);
            float[] zero = new float[w.length];
            l.proxy += ProxyLoss.normalized(wBar, qBar, rows, cols, s);
            l.proxyEnergy += ProxyLoss.normalized(wBar, zero, rows, cols, s);
            l.dataAware += ProxyLoss.dataAware(w, wHat, rows, cols, s);
            l.dataAwareEnergy += ProxyLoss.dataAware(w, zero, rows, cols, s);
        }
        return l;
    }

    double proxyRelative() { return proxyEnergy == 0 ? 0 : proxy / proxyEnergy; }

    double dataAwareRelative() { return dataAwareEnergy == 0 ? 0 : dataAware / dataAwareEnergy; }

    private static float[] read(ModelDirectory m, String name, int rows) throws IOException {
        if (m.tensor(name) == null) throw new IllegalArgumentException(m.root() + " has no tensor " + name);
        try (SafetensorsFile f = SafetensorsFile.open(m.fileSystem(), m.shardOf(name))) {
            return f.readRowsAsFloat(name, 0, rows);
        }
    }
}
