package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.job.api.CompressionReport;

/**
 * Hostile or broken models through `nowag compress`: each ends with exit code 1, a message naming the file or tensor
 * and the problem, and no output directory.
 */
class HostileInputTest {
    static final String DOWN = "model.layers.0.mlp.down_proj.weight";
    static final String UP = "model.layers.0.mlp.up_proj.weight";

    @TempDir Path tmp;

    @BeforeAll
    static void spark() {
        Fixtures.spark();  // the CLI finds this context and leaves it running
    }

    /** Runs compress into tmp/out and checks the refusal: exit 1, message holds every fragment, nothing written. */
    CliAndCalibrationTest.Run refused(Path model, String... fragments) {
        Path out = tmp.resolve("out");
        CliAndCalibrationTest.Run run = CliAndCalibrationTest.cli("compress", "--model", model.toString(),
                "--out", out.toString(), "--method", "magnitude");
        assertEquals(1, run.code, run.out + run.err);
        for (String f : fragments) assertTrue(run.err.contains(f), "'" + f + "' not in: " + run.err);
        assertFalse(Files.exists(out), "nothing may be written");
        return run;
    }

    Path modelDir(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\"}");
        return dir;
    }

    /** A raw safetensors file: 8-byte little-endian length, then the given header bytes, then data. */
    static void writeRaw(Path file, long declaredLength, byte[] header, int dataBytes) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(declaredLength).array());
            out.write(header);
            out.write(new byte[dataBytes]);
        }
    }

    static void writeRaw(Path file, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        writeRaw(file, h.length, h, dataBytes);
    }

    /** A valid model: the given F32 tensors (name -> [rows, cols] values). */
    static void writeModel(Path file, Map<String, float[][]> tensors) throws IOException {
        List<TensorSpec> specs = new ArrayList<>();
        for (Map.Entry<String, float[][]> e : tensors.entrySet()) {
            specs.add(new TensorSpec(e.getKey(), DType.F32, new long[]{e.getValue().length, e.getValue()[0].length}));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            SafetensorsWriter.write(out, specs, Map.of("format", "pt"), (spec, o) -> {
                for (float[] row : tensors.get(spec.name())) {
                    byte[] b = new byte[row.length * 4];
                    FloatCodec.encode(row, 0, DType.F32, b, 0, row.length);
                    o.write(b);
                }
            });
        }
    }

    static float[][] random(int rows, int cols, long seed) {
        Random r = new Random(seed);
        float[][] w = new float[rows][cols];
        for (float[] row : w) for (int j = 0; j < cols; j++) row[j] = (float) r.nextGaussian();
        return w;
    }

    @Test
    void aHeaderLengthOfTwoToTheSixtyIsRefusedBeforeAnythingIsAllocated() throws IOException {
        Path m = modelDir("huge-header");
        writeRaw(m.resolve("model.safetensors"), 1L << 60, "{}".getBytes(StandardCharsets.UTF_8), 0);
        refused(m, "model.safetensors", "header length " + (1L << 60), "too large");
    }

    @Test
    void aJsonNestingBombInTheHeaderIsRefused() throws IOException {
        Path m = modelDir("bomb");
        String bomb = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        writeRaw(m.resolve("model.safetensors"), bomb, 0);
        refused(m, "model.safetensors", "nesting");
    }

    @Test
    void offsetsOutsideTheFileAreRefused() throws IOException {
        Path m = modelDir("outside");
        writeRaw(m.resolve("model.safetensors"),
                "{\"" + DOWN + "\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[8,24]}}", 16);
        refused(m, "model.safetensors", DOWN, "outside the data section");
    }

    @Test
    void overlappingTensorsAreRefused() throws IOException {
        Path m = modelDir("overlap");
        writeRaw(m.resolve("model.safetensors"), "{\"" + DOWN + "\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"" + UP + "\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[8,24]}}", 24);
        refused(m, "model.safetensors", "overlap");
    }

    @Test
    void anIndexNamingAShardOutsideTheModelDirectoryIsRefused() throws IOException {
        for (String evil : List.of("../../etc/passwd", "/etc/passwd", "file:///etc/passwd.safetensors",
                "hdfs://evil:8020/x.safetensors", "s3a://bucket/x.safetensors", "..%2F..%2Fetc.safetensors")) {
            Path m = modelDir("index-" + Integer.toHexString(evil.hashCode()));
            writeModel(m.resolve("model-00001-of-00001.safetensors"), Map.of(DOWN, random(4, 8, 1)));
            Files.writeString(m.resolve("model.safetensors.index.json"),
                    "{\"metadata\":{},\"weight_map\":{\"" + DOWN + "\":\"" + evil + "\"}}");
            CliAndCalibrationTest.Run run = refused(m, "model.safetensors.index.json", evil);
            assertTrue(run.err.contains("inside the model directory") || run.err.contains("contains '..'"), run.err);
        }
    }

    @Test
    void nOfMOnATensorWhoseInputDimensionIsNotAMultipleOfMIsRefusedNamingIt() throws IOException {
        Path m = modelDir("nm");
        writeModel(m.resolve("model.safetensors"), Map.of(DOWN, random(4, 6, 2)));
        Path out = tmp.resolve("out");
        CliAndCalibrationTest.Run run = CliAndCalibrationTest.cli("compress", "--model", m.toString(),
                "--out", out.toString(), "--pattern", "2:4");
        assertEquals(1, run.code);
        assertTrue(run.err.contains(DOWN) && run.err.contains("divisible"), run.err);
        assertFalse(Files.exists(out));
    }

    static Map<String, float[][]> withBadWeight(float bad) {
        Map<String, float[][]> t = new LinkedHashMap<>();
        float[][] down = random(16, 8, 3);
        down[5][3] = bad;
        t.put(DOWN, down);
        t.put(UP, random(8, 16, 4));
        return t;
    }

    @Test
    void nanOrInfiniteWeightsAreRefusedNamingTheTensorAndTheWeight() throws IOException {
        Path nan = modelDir("nan");
        writeModel(nan.resolve("model.safetensors"), withBadWeight(Float.NaN));
        refused(nan, DOWN, "[5, 3]", "NaN", "--skip-nonfinite");

        // Split in row blocks, the non-finite value shows first in the column norms pass.
        Path inf = modelDir("inf");
        writeModel(inf.resolve("model.safetensors"), withBadWeight(Float.POSITIVE_INFINITY));
        Path out = tmp.resolve("out");
        CliAndCalibrationTest.Run run = CliAndCalibrationTest.cli("compress", "--model", inf.toString(),
                "--out", out.toString(), "--pattern", "2:4", "--block-mb", "0.0001");
        assertEquals(1, run.code, run.err);
        assertTrue(run.err.contains(DOWN) && run.err.contains("infinite"), run.err);
        assertFalse(Files.exists(out));
    }

    @Test
    void skipNonFiniteCopiesSuchTensorsUnchangedAndWarnsInTheReport() throws IOException {
        Path nan = modelDir("nan-skip");
        writeModel(nan.resolve("model.safetensors"), withBadWeight(Float.NaN));
        Path out = tmp.resolve("out");
        CliAndCalibrationTest.Run run = CliAndCalibrationTest.cli("compress", "--model", nan.toString(),
                "--out", out.toString(), "--method", "magnitude", "--skip-nonfinite");
        assertEquals(0, run.code, run.err);
        assertTrue(run.err.contains("warning") && run.err.contains(DOWN), run.err);
        CompressionReport report = CompressionReport.fromJson(Files.readString(out.resolve("report.json")));
        assertEquals(List.of(DOWN), report.skippedNonFinite);
        assertTrue(report.warnings.get(0).contains(DOWN), report.warnings.toString());
        assertEquals(1, report.tensorsCompressed);
        Map<String, byte[]> in = Fixtures.rawTensors(nan);
        Map<String, byte[]> got = Fixtures.rawTensors(out);
        assertArrayEquals(in.get(DOWN), got.get(DOWN), "the NaN tensor is copied bit for bit");
        float[] up = Fixtures.floats(out, UP);
        long zeros = 0;
        for (float v : up) if (v == 0) zeros++;
        assertEquals(up.length / 2, zeros, "the finite tensor is still pruned to 50%");
    }
}
