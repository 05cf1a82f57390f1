package org.nowag.job.calib;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.fs.AtomicFiles;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.kernels.model.GramAccumulator;
import org.nowag.kernels.model.StatisticsCollector;

/**
 * Writes what {@code calibrate} measured: the statistics file {@code compress --calibration} reads (one 1-D F32
 * diag(X^T X) [d_in] per linear weight, named like the weight) and, with --full, a sibling file
 * {@code NAME.xtx.safetensors} holding each weight's whole X^T X as 2-D F32 [d_in, d_in]. Sums were kept in
 * double and are rounded to float only here. Each file is written under a temp name and renamed.
 */
public final class StatisticsFileWriter {
    private StatisticsFileWriter() {}

    /** The --full sibling of a statistics file: stats.safetensors -> stats.xtx.safetensors. */
    public static Path fullSibling(Path target) {
        String name = target.getName();
        String base = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
        return new Path(target.getParent(), base + ".xtx.safetensors");
    }

    public static void write(FileSystem fs, Path target, StatisticsCollector stats, Map<String, String> metadata)
            throws IOException {
        if (fs.exists(target)) throw new IOException(target + ": already exists; choose another output path");
        Path full = stats.withFull() ? fullSibling(target) : null;
        if (full != null && fs.exists(full)) throw new IOException(full + ": already exists; choose another output path");
        if (stats.accumulators().isEmpty()) throw new IllegalStateException("no linear layer saw any input");
        if (full != null) {
            List<TensorSpec> specs = new ArrayList<>();
            stats.accumulators().forEach((name, g) ->
                    specs.add(new TensorSpec(name, DType.F32, new long[] {g.inFeatures(), g.inFeatures()})));
            writeFile(fs, full, specs, metadata, stats, true);
        }
        List<TensorSpec> specs = new ArrayList<>();
        stats.accumulators().forEach((name, g) -> specs.add(new TensorSpec(name, DType.F32, new long[] {g.inFeatures()})));
        writeFile(fs, target, specs, metadata, stats, false);
    }

    private static void writeFile(FileSystem fs, Path target, List<TensorSpec> specs, Map<String, String> metadata,
                                  StatisticsCollector stats, boolean fullMatrix) throws IOException {
        boolean written = AtomicFiles.write(fs, target, out -> SafetensorsWriter.write(out, specs, metadata, (spec, o) -> {
            GramAccumulator g = stats.get(spec.name());
            float[] v = fullMatrix ? toFloat(g.full()) : g.diagonalAsFloat();
            byte[] bytes = new byte[v.length * 4];
            FloatCodec.encode(v, 0, DType.F32, bytes, 0, v.length);
            o.write(bytes);
        }));
        if (!written) throw new IOException(target + ": appeared while writing; left as it was");
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
