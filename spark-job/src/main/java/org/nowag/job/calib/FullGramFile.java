package org.nowag.job.calib;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.kernels.sparsegpt.InverseHessianFactor;

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

    /** Floats per read chunk (16 MiB): the file is widened into the double array chunk by chunk. */
    static final int READ_CHUNK_FLOATS = 1 << 22;

    /**
     * One layer's X^T X, row-major [d_in, d_in], widened to double for the Hessian algebra: read straight into the
     * one double[d_in^2] that SparseGPT then factors in place, a chunk of rows at a time (no d_in^2 float copy).
     */
    public static double[] read(String path, String weight, int dIn, Configuration conf) throws IOException {
        if (dIn < 1 || dIn > InverseHessianFactor.MAX_DIM) {
            throw new IllegalArgumentException("full X^T X file " + path + ": " + weight + " has d_in=" + dIn
                    + "; SparseGPT holds X^T X as one double[d_in^2] and supports d_in up to "
                    + InverseHessianFactor.MAX_DIM);
        }
        Path p = new Path(path);
        double[] g = new double[dIn * dIn];
        int chunkRows = Math.max(1, Math.min(dIn, READ_CHUNK_FLOATS / dIn));
        float[] chunk = new float[chunkRows * dIn];
        try (SafetensorsFile f = SafetensorsFile.open(p.getFileSystem(conf), p)) {
            for (int r0 = 0; r0 < dIn; r0 += chunkRows) {
                int rows = Math.min(chunkRows, dIn - r0);
                f.readRowsAsFloat(weight, r0, rows, chunk, 0);
                int at = r0 * dIn;
                for (int k = 0; k < rows * dIn; k++) g[at + k] = chunk[k];
            }
        }
        return g;
    }
}
