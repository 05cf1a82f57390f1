package org.nowag.io.vq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;

class VqTensorsTest {
    @TempDir java.nio.file.Path dir;

    private static VqTensors sample(DType ft) {
        int rows = 5, cols = 12, d = 3, k = 11;  // 11 centroids -> 4-bit codes, 20 codes -> 10 bytes
        Random rnd = new Random(4);
        int[] codes = new int[rows * cols / d];
        for (int i = 0; i < codes.length; i++) codes[i] = rnd.nextInt(k);
        float[] codebook = new float[k * d];
        for (int i = 0; i < codebook.length; i++) codebook[i] = (float) rnd.nextGaussian();
        float[] r = new float[rows];
        float[] c = new float[cols];
        for (int i = 0; i < rows; i++) r[i] = 1 + rnd.nextFloat();
        for (int j = 0; j < cols; j++) c[j] = 1 + rnd.nextFloat();
        return new VqTensors(rows, cols, d, codes, codebook, r, c, ft);
    }

    private static float[] roundTrip(float[] v, DType t) {
        byte[] b = new byte[v.length * t.bytes()];
        FloatCodec.encode(v, 0, t, b, 0, v.length);
        float[] out = new float[v.length];
        FloatCodec.decode(b, 0, t, out, 0, v.length);
        return out;
    }

    @Test
    void fourNamedTensorsWriteToSafetensorsAndReadBackTheSameCodesCodebookAndNorms() throws IOException {
        for (DType ft : new DType[] {DType.F16, DType.F32}) {
            VqTensors vq = sample(ft);
            String w = "encoder.layer.0.attention.self.query.weight";
            List<TensorSpec> specs = vq.specs(w);
            assertEquals(List.of(w + ".vq.codes", w + ".vq.codebook", w + ".vq.row_norms", w + ".vq.col_norms"),
                    specs.stream().map(TensorSpec::name).toList());
            assertArrayEquals(new long[] {10}, specs.get(0).shape());
            assertEquals(DType.U8, specs.get(0).dtype());
            assertArrayEquals(new long[] {11, 3}, specs.get(1).shape());
            FileSystem fs = FileSystem.getLocal(new Configuration());
            Path file = new Path(dir.toUri().toString(), "vq-" + ft + ".safetensors");
            try (FSDataOutputStream out = fs.create(file)) {
                SafetensorsWriter.write(out, specs, Map.of(), (spec, o) -> o.write(vq.bytes(spec.name())));
            }
            Map<String, VqTensors.Stored> stored = new LinkedHashMap<>();
            try (SafetensorsFile f = SafetensorsFile.open(fs, file)) {
                for (TensorInfo t : f.header().tensors()) {
                    stored.put(t.name(), new VqTensors.Stored(t.dtype(), t.shape(),
                            f.readBytes(t.name(), 0, Math.toIntExact(t.byteSize()))));
                }
            }
            VqTensors back = VqTensors.decode(w, stored);
            assertEquals(ft, back.floatType);
            assertEquals(5, back.rows);
            assertEquals(12, back.cols);
            assertEquals(3, back.dim);
            assertArrayEquals(vq.codes, back.codes);
            assertArrayEquals(roundTrip(vq.codebook, ft), back.codebook);
            assertArrayEquals(roundTrip(vq.rowNorms, ft), back.rowNorms);
            assertArrayEquals(roundTrip(vq.colNorms, ft), back.colNorms);
        }
    }

    @Test
    void missingOrInconsistentTensorsAreAnErrorNamingThem() {
        VqTensors vq = sample(DType.F16);
        Map<String, VqTensors.Stored> stored = new LinkedHashMap<>();
        for (TensorSpec s : vq.specs("w")) stored.put(s.name(), new VqTensors.Stored(s.dtype(), s.shape(), vq.bytes(s.name())));
        Map<String, VqTensors.Stored> missing = new LinkedHashMap<>(stored);
        missing.remove("w.vq.row_norms");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VqTensors.decode("w", missing));
        assertTrue(e.getMessage().contains("w.vq.row_norms"), e.getMessage());
        Map<String, VqTensors.Stored> shortCodes = new LinkedHashMap<>(stored);
        shortCodes.put("w.vq.codes", new VqTensors.Stored(DType.U8, new long[] {9}, new byte[9]));
        e = assertThrows(IllegalArgumentException.class, () -> VqTensors.decode("w", shortCodes));
        assertTrue(e.getMessage().contains("w.vq.codes") && e.getMessage().contains("10"), e.getMessage());
        Map<String, VqTensors.Stored> badCode = new LinkedHashMap<>(stored);
        badCode.put("w.vq.codes", new VqTensors.Stored(DType.U8, new long[] {10}, filled(10, (byte) 0xff)));
        e = assertThrows(IllegalArgumentException.class, () -> VqTensors.decode("w", badCode));
        assertTrue(e.getMessage().contains("outside the codebook"), e.getMessage());
    }

    private static byte[] filled(int n, byte b) {
        byte[] a = new byte[n];
        java.util.Arrays.fill(a, b);
        return a;
    }
}
