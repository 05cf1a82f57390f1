package org.nowag.job.calib;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorInfo;

/**
 * Per-layer activation statistics: for each linear weight name, s = diag(X^T X), one value per input (d_in).
 * Stored as a safetensors file whose tensor names are the weight names and whose tensors are 1-D [d_in]. Small
 * (d_in floats per layer), so the driver loads it and tasks carry their layer's vector.
 */
public final class CalibrationStats {
    private final String source;
    private final Map<String, float[]> diagonals;

    public CalibrationStats(String source, Map<String, float[]> diagonals) {
        this.source = source;
        this.diagonals = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(diagonals));
    }

    public static CalibrationStats load(String uri, Configuration conf) throws IOException {
        Path path = new Path(uri);
        FileSystem fs = path.getFileSystem(conf);
        if (!fs.exists(path)) throw new IOException("calibration file " + uri + " does not exist");
        Map<String, float[]> diag = new LinkedHashMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(fs, path)) {
            for (TensorInfo t : file.header().tensors()) {
                if (t.shape().length != 1) {
                    throw new IOException("calibration file " + uri + ": tensor " + t.name() + " has shape "
                            + java.util.Arrays.toString(t.shape()) + ", expected a 1-D diagonal [d_in]");
                }
                float[] s = file.readRowsAsFloat(t.name(), 0, Math.toIntExact(t.rows()));
                for (int j = 0; j < s.length; j++) {
                    if (!Float.isFinite(s[j]) || s[j] < 0) {
                        throw new IOException("calibration file " + uri + ": tensor " + t.name() + " element " + j
                                + " is " + s[j] + "; a diagonal of X^T X must be finite and non-negative");
                    }
                }
                diag.put(t.name(), s);
            }
        }
        return new CalibrationStats(uri, diag);
    }

    public String source() { return source; }

    /** The weight names, in the file's order. */
    public java.util.List<String> names() { return java.util.List.copyOf(diagonals.keySet()); }

    /** The diagonal for this weight; the planner has checked that it exists. */
    public float[] diagonal(String weightName) { return diagonals.get(weightName); }

    public void checkCovers(String weightName, long dIn) {
        float[] s = diagonals.get(weightName);
        if (s == null) {
            throw new IllegalArgumentException("calibration " + source + " has no statistics for " + weightName
                    + "; recompute them for this model or leave out --calibration to run data-free");
        }
        if (s.length != dIn) {
            throw new IllegalArgumentException("calibration " + source + ": statistics for " + weightName + " have "
                    + s.length + " values but the weight has d_in=" + dIn);
        }
    }

    /** Content hash, so a run with other statistics is a different run. */
    public String fingerprint() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, float[]> e : new java.util.TreeMap<>(diagonals).entrySet()) {
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                ByteBuffer buf = ByteBuffer.allocate(e.getValue().length * Float.BYTES);
                buf.asFloatBuffer().put(e.getValue());
                md.update(buf);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
