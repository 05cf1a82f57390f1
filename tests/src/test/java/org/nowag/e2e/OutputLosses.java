package org.nowag.e2e;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.calib.StatisticsFileWriter;
import org.nowag.kernels.sparsegpt.OutputLoss;

/**
 * The real calibration loss of a pruned model: sum over its linear weights of ||(W - W_hat) X^T||^2, from the full
 * X^T X that calibrate --full wrote beside the statistics file (what SparseGPT minimises; the report's losses use the
 * diagonal only).
 */
final class OutputLosses {
    private OutputLosses() {}

    static double total(Path original, Path pruned, Path stats) throws IOException {
        org.apache.hadoop.fs.Path full = StatisticsFileWriter.fullSibling(new org.apache.hadoop.fs.Path(stats.toUri()));
        FileSystem fs = full.getFileSystem(new Configuration());
        double sum = 0;
        try (SafetensorsFile xtx = SafetensorsFile.open(fs, full)) {
            for (TensorInfo t : xtx.header().tensors()) {
                int d = Math.toIntExact(t.rows());
                float[] g = xtx.readRowsAsFloat(t.name(), 0, d);
                double[] gd = new double[g.length];
                for (int k = 0; k < g.length; k++) gd[k] = g[k];
                float[] w = Fixtures.floats(original, t.name());
                float[] h = Fixtures.floats(pruned, t.name());
                sum += OutputLoss.of(w, h, w.length / d, d, gd);
            }
        }
        return sum;
    }
}
