package org.nowag.io.imatrix;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.fs.AtomicFiles;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorSpec;

/**
 * Saves an importance matrix as the calibration statistics file {@code compress --calibration} reads: one 1-D F32
 * tensor [d_in] per HF weight name. Written attempt-safely (temp name, then rename), so a failed write leaves
 * nothing behind; an existing target is refused.
 */
public final class CalibrationFileWriter {
    private CalibrationFileWriter() {}

    public static void write(FileSystem fs, Path target, ImportanceMatrix m) throws IOException {
        write(fs, target, m, Map.of());
    }

    /** With {@code extraMetadata} added to the file's metadata (e.g. the fingerprint of the run that converted it). */
    public static void write(FileSystem fs, Path target, ImportanceMatrix m, Map<String, String> extraMetadata)
            throws IOException {
        if (m.diagonals().isEmpty()) throw new IOException(target + ": the importance matrix maps to no HF weights; nothing to write");
        if (fs.exists(target)) throw new IOException(target + ": already exists; choose another output path");
        List<TensorSpec> specs = new ArrayList<>();
        for (Map.Entry<String, float[]> e : m.diagonals().entrySet()) {
            specs.add(new TensorSpec(e.getKey(), DType.F32, new long[] {e.getValue().length}));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("statistic", "mean of x^2 per token (diag(X^T X) / tokens), from a llama.cpp imatrix");
        if (!m.datasets().isEmpty()) meta.put("datasets", String.join(",", m.datasets()));
        meta.putAll(extraMetadata);
        boolean written = AtomicFiles.write(fs, target, out -> SafetensorsWriter.write(out, specs, meta, (spec, o) -> {
            float[] v = m.diagonals().get(spec.name());
            byte[] bytes = new byte[v.length * 4];
            FloatCodec.encode(v, 0, DType.F32, bytes, 0, v.length);
            o.write(bytes);
        }));
        if (!written) throw new IOException(target + ": appeared while writing; left as it was");
    }
}
