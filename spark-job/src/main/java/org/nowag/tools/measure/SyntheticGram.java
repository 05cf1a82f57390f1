package org.nowag.tools.measure;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.job.calib.StatisticsFileWriter;

/**
 * Calibration files for benchmarks and memory checks, in {@code calibrate --full}'s layout: a statistics file with
 * diag(X^T X) per weight and its sibling with the full X^T X. Each X^T X is a scaled Kac-Murdock-Szego matrix,
 * H_ij = a_i a_j rho^|i-j| with rho = 0.5 and log-normal a_i: symmetric positive definite, with correlated inputs like
 * a real Gram matrix, and written row by row without ever being held whole.
 */
public final class SyntheticGram {
    private static final double RHO = 0.5;

    private SyntheticGram() {}

    /** Writes {@code stats} and its --full sibling for these weights ({name, d_in}); returns {@code stats}. */
    public static Path write(FileSystem fs, Path stats, Map<String, Integer> weights, long seed) throws IOException {
        List<TensorSpec> diag = new ArrayList<>();
        List<TensorSpec> full = new ArrayList<>();
        Map<String, float[]> scales = new java.util.LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(seed);
        weights.forEach((name, dIn) -> {
            diag.add(new TensorSpec(name, DType.F32, new long[] {dIn}));
            full.add(new TensorSpec(name, DType.F32, new long[] {dIn, dIn}));
            float[] a = new float[dIn];
            for (int j = 0; j < dIn; j++) a[j] = (float) Math.exp(0.5 * random.nextGaussian());
            scales.put(name, a);
        });
        writeAtomically(fs, StatisticsFileWriter.fullSibling(stats), full, (spec, o) -> {
            float[] a = scales.get(spec.name());
            int d = a.length;
            float[] row = new float[d];
            byte[] bytes = new byte[4 * d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) row[j] = (float) (a[i] * a[j] * Math.pow(RHO, Math.abs(i - j)));
                FloatCodec.encode(row, 0, DType.F32, bytes, 0, d);
                o.write(bytes);
            }
        });
        writeAtomically(fs, stats, diag, (spec, o) -> {
            float[] a = scales.get(spec.name());
            float[] d = new float[a.length];
            for (int j = 0; j < a.length; j++) d[j] = a[j] * a[j];
            byte[] bytes = new byte[4 * d.length];
            FloatCodec.encode(d, 0, DType.F32, bytes, 0, d.length);
            o.write(bytes);
        });
        return stats;
    }

    private static void writeAtomically(FileSystem fs, Path target, List<TensorSpec> specs,
                                        SafetensorsWriter.TensorBytes data) throws IOException {
        Path tmp = new Path(target.getParent(), target.getName() + ".tmp");
        try (OutputStream out = fs.create(tmp, true)) {
            SafetensorsWriter.write(out, specs, Map.of("format", "pt"), data);
        }
        fs.delete(target, false);
        if (!fs.rename(tmp, target)) throw new IOException("could not rename " + tmp + " to " + target);
    }
}
