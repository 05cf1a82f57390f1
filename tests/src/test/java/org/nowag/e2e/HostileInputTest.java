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
 * and the problem, no stack trace, and no output directory. The safetensors rules each have a unit test in model-io
 * (SafetensorsHeaderValidationTest); here they are seen as a user sees them.
 */
class HostileInputTest {
    static final String DOWN = "model.layers.0.mlp.down_proj.weight";
    static final String UP = "model.layers.0.mlp.up_proj.weight";

    @TempDir Path tmp;

    @BeforeAll
    static void spark() {
        Fixtures.spark();  // the CLI finds this context and leaves it running
    }

    /**
     * Runs compress into tmp/out and checks the refusal: exit 1, one error line holding every fragment, no stack trace,
     * nothing on stdout, nothing written.
     */
    CliAndCalibrationTest.Run refused(Path model, String... fragments) {
        Path out = tmp.resolve("out");
        CliAndCalibrationTest.Run run = CliAndCalibrationTest.cli("compress", "--model", model.toString(),
                "--out", out.toString(), "--method", "magnitude");
        Refusals.assertRefused(run, 1, fragments, out);
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

    /** A valid two-tensor model file written by hand: DOWN at [0, 32), UP at [32, 64), 8 zero-padded header bytes. */
    static String twoTensors(String downOffsets, String upOffsets) {
        return "{\"" + DOWN + "\":{\"dtype\":\"F32\",\"shape\":[2,4],\"data_offsets\":" + downOffsets + "},"
                + "\"" + UP + "\":{\"dtype\":\"F32\",\"shape\":[4,2],\"data_offsets\":" + upOffsets + "}}";
    }

    @Test
    void aHoleBetweenTensorsIsRefusedWithItsOffsetsAndSize() throws IOException {
        Path m = modelDir("hole");
        writeRaw(m.resolve("model.safetensors"), twoTensors("[0,32]", "[40,72]"), 72);
        refused(m, "model.safetensors", "hole", "[32, 40) of the data section", "8 bytes", DOWN, UP);
    }

    @Test
    void trailingBytesAfterTheLastTensorAreRefused() throws IOException {
        Path m = modelDir("trailing");
        writeRaw(m.resolve("model.safetensors"), twoTensors("[0,32]", "[32,64]"), 70);
        refused(m, "model.safetensors", "trailing bytes", "[64, 70) of the data section", "6 bytes", UP);
    }

    @Test
    void aHeaderThatDoesNotBeginWithABraceOrIsPaddedWithOtherThanSpacesIsRefused() throws IOException {
        Path m = modelDir("brace");
        writeRaw(m.resolve("model.safetensors"), " " + twoTensors("[0,32]", "[32,64]"), 64);
        refused(m, "model.safetensors", "begin with '{'");
        writeRaw(m.resolve("model.safetensors"), twoTensors("[0,32]", "[32,64]") + "\n", 64);
        refused(m, "model.safetensors", "only spaces (0x20)");
    }

    @Test
    void anInvalidConfigJsonIsRefusedNamingItBeforeAnythingIsWritten() throws IOException {
        Path m = modelDir("bad-config");
        writeModel(m.resolve("model.safetensors"), Map.of(DOWN, random(4, 8, 1)));
        Files.writeString(m.resolve("config.json"), "{\"model_type\": \"llama\",\n");
        refused(m, "config.json", "invalid JSON", "line 2");
        Files.write(m.resolve("config.json"), new byte[] {'{', '"', (byte) 0xc0, (byte) 0xaf, '"', ':', '1', '}'});
        refused(m, "config.json", "not valid UTF-8", "byte offset 2");
    }

    @Test
    void aModelWithoutConfigJsonIsRefusedUnlessNoConfigIsGiven() throws IOException {
        Path m = Files.createDirectories(tmp.resolve("no-config"));
        writeModel(m.resolve("model.safetensors"), Map.of(DOWN, random(4, 8, 1)));
        refused(m, "config.json", "missing", "--no-config");

        Path out = tmp.resolve("out");
        CliAndCalibrationTest.Run run = CliAndCalibrationTest.cli("compress", "--model", m.toString(),
                "--out", out.toString(), "--method", "magnitude", "--no-config");
        assertEquals(0, run.code, run.err);
        assertTrue(run.err.contains("warning") && run.err.contains("no config.json"), "the consequence is stated: " + run.err);
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertFalse(Files.exists(out.resolve("config.json")), "the output has none either");
    }

    @Test
    void aTokenizerWithInvalidUtf8IsRefusedNotCopied() throws IOException {
        Path m = modelDir("tokenizer");
        writeModel(m.resolve("model.safetensors"), Map.of(DOWN, random(4, 8, 1)));
        byte[] tokenizer = Files.readAllBytes(Fixtures.miniLm().resolve("tokenizer.json"));
        int at = new String(tokenizer, StandardCharsets.ISO_8859_1).indexOf("\"[UNK]\"") + 2;
        tokenizer[at] = (byte) 0xfe;
        Files.write(m.resolve("tokenizer.json"), tokenizer);
        refused(m, "tokenizer.json", "not valid UTF-8", "byte offset " + at);
    }

    @Test
    void aShardNameThatIsADirectoryIsNamedAsSuch() throws IOException {
        Path single = modelDir("shard-dir");
        Files.createDirectories(single.resolve("model.safetensors"));
        refused(single, "model.safetensors", "is a directory");

        Path indexed = modelDir("index-shard-dir");
        writeModel(indexed.resolve("model-00001-of-00002.safetensors"), Map.of(DOWN, random(4, 8, 1)));
        Files.createDirectories(indexed.resolve("model-00002-of-00002.safetensors"));
        Files.writeString(indexed.resolve("model.safetensors.index.json"), "{\"weight_map\":{\"" + DOWN
                + "\":\"model-00001-of-00002.safetensors\",\"" + UP + "\":\"model-00002-of-00002.safetensors\"}}");
        refused(indexed, "model-00002-of-00002.safetensors", "is a directory");
    }

    @Test
    void anOutputPathThatIsARegularFileOrUnderOneIsRefusedNamingTheOption() throws IOException {
        Path m = modelDir("out-file");
        writeModel(m.resolve("model.safetensors"), Map.of(DOWN, random(4, 8, 1)));
        Path file = Files.writeString(tmp.resolve("a-file"), "keep me");
        CliAndCalibrationTest.Run run = CliAndCalibrationTest.cli("compress", "--model", m.toString(),
                "--out", file.toString(), "--method", "magnitude");
        Refusals.assertRefused(run, 1, new String[] {"--out", "a-file", "is a regular file"});
        run = CliAndCalibrationTest.cli("compress", "--model", m.toString(),
                "--out", file.resolve("sub").toString(), "--method", "magnitude");
        Refusals.assertRefused(run, 1, new String[] {"--out", "a-file is a regular file, not a directory"});
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void impossibleOptionValuesExitTwoNamingTheOptionBeforeAnythingIsRead() throws IOException {
        Path m = modelDir("options");
        writeModel(m.resolve("model.safetensors"), Map.of(DOWN, random(4, 8, 1)));
        Path out = tmp.resolve("out");
        String[][] cases = {
                {"--block-mb", "0", "--block-mb 0: must be a positive number"},
                {"--block-mb", "NaN", "--block-mb NaN: must be a positive number"},
                {"--shard-mb", "-1", "--shard-mb -1: must be a positive number"},
                {"--include", "foo(bar", "--include 'foo(bar': not a valid regular expression: Unclosed group"},
                {"--master", "bogus://x", "--master 'bogus://x': not a Spark master URL"},
                {"--master", "local[0]", "--master 'local[0]'"},
                {"--pattern", "2:x", "--pattern 2:x"},
        };
        for (String[] c : cases) {
            CliAndCalibrationTest.Run run = CliAndCalibrationTest.cli("compress", "--model", m.toString(),
                    "--out", out.toString(), "--method", "magnitude", c[0], c[1]);
            Refusals.assertRefused(run, 2, new String[] {c[2]}, out);
            assertTrue(run.err.contains("Run 'nowag compress --help'"), run.err);
        }
        String[][] vq = {{"--vq-dim", "0", "--vq-dim 0: must be at least 1"}, {"--vq-bits", "0", "--vq-bits 0"},
                {"--vq-iters", "0", "--vq-iters 0"}, {"--vq-store", "f8", "--vq-store 'f8'"}};
        for (String[] c : vq) {
            CliAndCalibrationTest.Run run = CliAndCalibrationTest.cli("compress", "--model", m.toString(),
                    "--out", out.toString(), "--method", "nowag-vq", c[0], c[1]);
            Refusals.assertRefused(run, 2, new String[] {c[2]}, out);
        }
    }

    @Test
    void verboseAddsTheStackTraceAndOnlyThen() throws IOException {
        Path m = modelDir("verbose");
        writeRaw(m.resolve("model.safetensors"), twoTensors("[0,32]", "[40,72]"), 72);
        Path out = tmp.resolve("out");
        CliAndCalibrationTest.Run quiet = CliAndCalibrationTest.cli("compress", "--model", m.toString(), "--out", out.toString());
        assertFalse(Refusals.hasStackTrace(quiet.err), quiet.err);
        CliAndCalibrationTest.Run verbose = CliAndCalibrationTest.cli("compress", "--model", m.toString(), "--out",
                out.toString(), "--verbose");
        assertEquals(1, verbose.code);
        assertTrue(verbose.err.contains("SafetensorsFormatException") && Refusals.hasStackTrace(verbose.err), verbose.err);
        assertTrue(verbose.err.indexOf("nowag: error:") < verbose.err.indexOf("\tat "), "the error line comes first: " + verbose.err);
        assertFalse(Files.exists(out));
    }
}
