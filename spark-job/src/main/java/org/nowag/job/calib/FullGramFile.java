package org.nowag.job.calib;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorInfo;

/**
 * The full X^T X file that {@code calibrate --full} writes beside the statistics file ({@code NAME.xtx.safetensors},
 * one 2-D [d_in, d_in] tensor per linear weight). The driver only finds it and checks its header; each executor task
 * reads its own layer's matrix (d_in^2 floats never pass through the driver).
 */
public final class FullGramFile {
    private FullGramFile() {}

    /** The sibling of {@code calibration}, fully qualified; refuses when there is no calibration or no sibling. */
    public static String locate(String method, String calibration, Configuration conf) throws IOException {
        String how = "run `nowag calibrate --model MODEL --text TEXT --full --out stats.safetensors` and pass "
                + "--calibration stats.safetensors (it writes stats.xtx.safetensors beside it)";
        if (calibration == null) {
            throw new IllegalArgumentException(method + " needs the full X^T X of every layer, so --calibration is "
                    + "required: " + how);
        }
        Path full = StatisticsFileWriter.fullSibling(new Path(calibration));
        FileSystem fs = full.getFileSystem(conf);
        if (!fs.exists(full)) {
            throw new IllegalArgumentException(method + " needs the full X^T X, but " + full + " (beside --calibration "
                    + calibration + ") does not exist: " + how);
        }
        return fs.makeQualified(full).toString();
    }

    /**
     * Checks from the header that every weight has a float [d_in, d_in] matrix; returns text that identifies the file
     * for the run's fingerprint (its length and header, not its d_in^2 values).
     */
    public static String check(String path, List<String> weights, List<Long> dIns, Configuration conf)
            throws IOException {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(conf);
        StringBuilder id = new StringBuilder(path);
        try (SafetensorsFile f = SafetensorsFile.open(fs, p)) {
            for (int i = 0; i < weights.size(); i++) {
                String name = weights.get(i);
                long d = dIns.get(i);
                TensorInfo t = f.header().tensor(name);
                if (t == null) {
                    throw new IllegalArgumentException("full X^T X file " + path + " has no matrix for " + name
                            + "; recompute it with `nowag calibrate --full` for this model");
                }
                long[] shape = t.shape();
                if (shape.length != 2 || shape[0] != d || shape[1] != d || !t.dtype().isFloatConvertible()) {
                    throw new IllegalArgumentException("full X^T X file " + path + ": " + name + " is " + t.dtype()
                            + " " + java.util.Arrays.toString(shape) + ", expected a float [" + d + ", " + d + "]");
                }
                id.append('\n').append(name).append(' ').append(t.begin()).append(' ').append(t.end());
            }
        }
        FileStatus st = fs.getFileStatus(p);
        id.append("\nlength=").append(st.getLen()).append(" modified=").append(st.getModificationTime());
        return id.toString();
    }

    /** One layer's X^T X, row-major [d_in, d_in], widened to double for the Hessian algebra. */
    public static double[] read(String path, String weight, int dIn, Configuration conf) throws IOException {
        Path p = new Path(path);
        float[] g;
        try (SafetensorsFile f = SafetensorsFile.open(p.getFileSystem(conf), p)) {
            g = f.readRowsAsFloat(weight, 0, dIn);
        }
        double[] d = new double[g.length];
        for (int k = 0; k < g.length; k++) d[k] = g[k];
        return d;
    }
}
