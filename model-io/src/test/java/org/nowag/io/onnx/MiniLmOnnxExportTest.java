package org.nowag.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorSpec;

class MiniLmOnnxExportTest {
    @TempDir static java.nio.file.Path tmp;
    private static SafetensorsFile imported;

    @BeforeAll
    static void importOnce() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path out = new Path(tmp.resolve("minilm").toUri());
        MiniLmImporter.importFromClasspath(fs, out);
        imported = SafetensorsFile.open(fs, new Path(out, "model.safetensors"));
    }

    @AfterAll
    static void close() throws IOException {
        if (imported != null) imported.close();
    }

    private static byte[] importedBytes(TensorSpec spec) throws IOException {
        return imported.readBytes(spec.name(), 0, Math.toIntExact(spec.byteSize()));
    }

    @Test
    void exportingTheImportedWeightsGivesTheOriginalGraphByteForByte() throws IOException {
        byte[] original = MiniLmFixture.onnxBytes();
        byte[] exported = MiniLmOnnxExport.withWeights(original, MiniLmOnnxExportTest::importedBytes);
        assertArrayEquals(original, exported);
    }

    @Test
    void aChangedLinearWeightLandsTransposedInItsMatMulInitializer() throws IOException {
        String name = "encoder.layer.0.intermediate.dense.weight"; // HF [1536, 384], ONNX MatMul_798 [384, 1536]
        int row = 7, col = 300;
        byte[] exported = MiniLmOnnxExport.withWeights(MiniLmFixture.onnxBytes(), spec -> {
            byte[] b = importedBytes(spec);
            if (spec.name().equals(name)) {
                long cols = spec.shape()[1];
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(Math.toIntExact((row * cols + col) * 4), 42.5f);
            }
            return b;
        });
        OnnxInitializer t = OnnxGraph.parse(exported).initializersByName().get("onnx::MatMul_798");
        assertArrayEquals(new long[] {384, 1536}, t.dims());
        assertEquals(42.5f, MiniLmFixture.onnxFloat(t, col, row));
        assertTrue(MiniLmFixture.onnxFloat(t, row, col) != 42.5f);
        assertTrue(differingSpan(MiniLmFixture.onnxBytes(), exported) <= 4, "only the one float's bytes changed");
    }

    @Test
    void aTensorOfTheWrongSizeIsRefusedNamingIt() {
        IOException e = assertThrows(IOException.class, () -> MiniLmOnnxExport.withWeights(MiniLmFixture.onnxBytes(),
                spec -> spec.name().equals("embeddings.LayerNorm.weight") ? new byte[12] : importedBytes(spec)));
        assertTrue(e.getMessage().contains("embeddings.LayerNorm.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("12 bytes"), e.getMessage());
    }

    /** Bytes from the first to the last that differ (raw_data is not 4-aligned in the file, so bytes, not floats). */
    private static int differingSpan(byte[] a, byte[] b) {
        assertEquals(a.length, b.length);
        int first = -1, last = -1;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                if (first < 0) first = i;
                last = i;
            }
        }
        return first < 0 ? 0 : last - first + 1;
    }
}
