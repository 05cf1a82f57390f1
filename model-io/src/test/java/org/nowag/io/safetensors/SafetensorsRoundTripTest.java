package org.nowag.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {
    @TempDir java.nio.file.Path dir;
    FileSystem fs;

    @BeforeEach
    void localFs() throws IOException {
        fs = FileSystem.getLocal(new Configuration());
    }

    private Path path(String name) {
        return new Path(dir.toUri().toString(), name);
    }

    static long[] shape(long... dims) { return dims; }

    @Test
    void floatTensorsRoundTripBitExactThroughFloatsAndBytes() throws IOException {
        List<TensorSpec> specs = List.of(
                new TensorSpec("w.f32", DType.F32, shape(7, 13)),
                new TensorSpec("w.f16", DType.F16, shape(5, 3, 11)),
                new TensorSpec("w.bf16", DType.BF16, shape(33)),
                new TensorSpec("scalar", DType.F32, shape()));
        Map<String, byte[]> data = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) data.put(specs.get(i).name(), TestTensors.randomBytes(specs.get(i), i, false));
        Map<String, String> meta = Map.of("format", "pt", "note", "π \"quoted\"");
        Path p = path("model.safetensors");
        TestTensors.write(fs, p, specs, meta, data);

        assertEquals(SafetensorsWriter.fileSize(specs, meta), fs.getFileStatus(p).getLen());
        try (SafetensorsFile f = SafetensorsFile.open(fs, p)) {
            assertEquals(meta, f.header().metadata());
            assertEquals(0, f.header().dataStart() % 8, "data section is 8-byte aligned");
            for (TensorSpec s : specs) {
                TensorInfo t = f.header().tensor(s.name());
                assertEquals(s.dtype(), t.dtype());
                assertArrayEquals(s.shape(), t.shape());
                byte[] raw = f.readBytes(s.name(), 0, (int) t.byteSize());
                assertArrayEquals(data.get(s.name()), raw, s.name() + " bytes");
                float[] floats = f.readRowsAsFloat(s.name(), 0, (int) t.rows());
                assertEquals(t.numel(), floats.length);
                byte[] reencoded = new byte[raw.length];
                FloatCodec.encode(floats, 0, s.dtype(), reencoded, 0, floats.length);
                assertArrayEquals(raw, reencoded, s.name() + " via float");
            }
        }
    }

    @Test
    void nanValuesStayNanThroughFloatConversion() throws IOException {
        List<TensorSpec> specs = List.of(new TensorSpec("h", DType.F16, shape(9)), new TensorSpec("b", DType.BF16, shape(9)),
                new TensorSpec("f", DType.F32, shape(9)));
        Map<String, byte[]> data = new LinkedHashMap<>();
        for (TensorSpec s : specs) data.put(s.name(), TestTensors.randomBytes(s, 1, true));
        Path p = path("nan.safetensors");
        TestTensors.write(fs, p, specs, Map.of(), data);
        try (SafetensorsFile f = SafetensorsFile.open(fs, p)) {
            for (TensorSpec s : specs) {
                float[] v = f.readRowsAsFloat(s.name(), 0, 9);
                assertTrue(Float.isNaN(v[8]), s.name() + " special #8 is NaN");
                assertEquals(Float.POSITIVE_INFINITY, v[6]);
                assertEquals(Float.NEGATIVE_INFINITY, v[7]);
            }
        }
    }

    @Test
    void integerTensorCopiedAsBytesIsIdentical() throws IOException {
        TensorSpec ids = new TensorSpec("position_ids", DType.I64, shape(3, 512));
        TensorSpec w = new TensorSpec("w", DType.BF16, shape(4, 4));
        Map<String, byte[]> data = Map.of(ids.name(), TestTensors.randomBytes(ids, 7, false), w.name(), TestTensors.randomBytes(w, 8, false));
        Path src = path("src.safetensors");
        TestTensors.write(fs, src, List.of(w, ids), Map.of(), data);

        Path copy = path("copy.safetensors");
        try (SafetensorsFile in = SafetensorsFile.open(fs, src); OutputStream out = fs.create(copy, false)) {
            List<TensorSpec> specs = List.of(ids);
            SafetensorsWriter.write(out, specs, Map.of(), (spec, o) -> in.copyBytes(spec.name(), 0, spec.byteSize(), o));
        }
        try (SafetensorsFile f = SafetensorsFile.open(fs, copy)) {
            assertArrayEquals(data.get(ids.name()), f.readBytes(ids.name(), 0, 3 * 512 * 8));
            assertArrayEquals(Arrays.copyOfRange(data.get(ids.name()), 1000, 1100), f.readBytes(ids.name(), 1000, 100));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.readRowsAsFloat(ids.name(), 0, 1));
            assertTrue(e.getMessage().contains("I64") && e.getMessage().contains("position_ids"), e.getMessage());
        }
    }

    @Test
    void middleRowRangeEqualsTheSliceAcrossReadChunks() throws IOException {
        for (DType dtype : new DType[] {DType.F32, DType.F16, DType.BF16}) {
            TensorSpec s = new TensorSpec("m", dtype, shape(20, 3, 7));
            byte[] bytes = TestTensors.randomBytes(s, 3, false);
            Path p = path("rows-" + dtype + ".safetensors");
            TestTensors.write(fs, p, List.of(new TensorSpec("first", DType.U8, shape(5)), s),
                    Map.of(), Map.of("first", new byte[5], "m", bytes));
            float[] all = new float[20 * 21];
            FloatCodec.decode(bytes, 0, dtype, all, 0, all.length);
            float[] want = Arrays.copyOfRange(all, 6 * 21, 15 * 21);
            // 40-byte chunks: not a multiple of a row, so chunk edges fall inside rows.
            try (SafetensorsFile f = SafetensorsFile.open(fs, p, 40)) {
                assertArrayEquals(want, f.readRowsAsFloat("m", 6, 9), dtype + " small chunks");
                assertEquals(0, f.readRowsAsFloat("m", 20, 0).length, "empty range at the end");
            }
            try (SafetensorsFile f = SafetensorsFile.open(fs, p)) {
                assertArrayEquals(want, f.readRowsAsFloat("m", 6, 9), dtype + " default chunks");
                float[] into = new float[2 + want.length];
                f.readRowsAsFloat("m", 6, 9, into, 2);
                assertArrayEquals(want, Arrays.copyOfRange(into, 2, into.length));
            }
        }
    }

    @Test
    void rowRangesOutsideTheTensorAreRejected() throws IOException {
        TensorSpec s = new TensorSpec("m", DType.F32, shape(4, 2));
        Path p = path("b.safetensors");
        TestTensors.write(fs, p, List.of(s), Map.of(), Map.of("m", new byte[32]));
        try (SafetensorsFile f = SafetensorsFile.open(fs, p)) {
            assertThrows(IndexOutOfBoundsException.class, () -> f.readRowsAsFloat("m", 3, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> f.readRowsAsFloat("m", -1, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> f.readRowsAsFloat("m", Long.MAX_VALUE, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> f.readBytes("m", 30, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> f.copyBytes("m", 0, 33, new ByteArrayOutputStream()));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.readRowsAsFloat("nope", 0, 1));
            assertTrue(e.getMessage().contains("nope"));
        }
    }

    @Test
    void requestLargerThanOneArrayFailsClearlyBeforeReading() throws IOException {
        // 2^15 + 1 rows of 2^16 F16 values = 2^31 + 2^16 floats: over the array limit. The data section is a
        // sparse file, so the test costs no disk.
        long rows = (1L << 15) + 1, cols = 1L << 16;
        byte[] header = SafetensorsWriter.header(List.of(new TensorSpec("big", DType.F16, shape(rows, cols))), Map.of());
        java.nio.file.Path file = dir.resolve("big.safetensors");
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.write(header);
            raf.setLength(header.length + rows * cols * 2);
        }
        try (SafetensorsFile f = SafetensorsFile.open(fs, new Path(file.toUri().toString()))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.readRowsAsFloat("big", 0, (int) rows));
            assertTrue(e.getMessage().contains("too large"), e.getMessage());
            assertEquals(4 * cols, f.readRowsAsFloat("big", rows - 4, 4).length, "a few rows at the far end still read");
        }
    }

    @Test
    void headerIsOrderedContiguousAndPaddedToEightBytes() throws IOException {
        List<TensorSpec> specs = List.of(new TensorSpec("z", DType.F16, shape(3)), new TensorSpec("a", DType.I8, shape(1)),
                new TensorSpec("m", DType.F64, shape(2, 1)));
        byte[] h = SafetensorsWriter.header(specs, Map.of());
        long n = 0;
        for (int i = 7; i >= 0; i--) n = (n << 8) | (h[i] & 0xff);
        assertEquals(h.length - 8, n);
        assertEquals(0, n % 8);
        String json = new String(h, 8, (int) n, StandardCharsets.UTF_8);
        assertFalse(json.contains("__metadata__"), "no metadata block when metadata is empty");
        JsonNode root = new ObjectMapper().readTree(json);
        assertEquals(List.of("z", "a", "m"), iteratorToList(root.fieldNames()));
        assertEquals("[0,6]", root.get("z").get("data_offsets").toString());
        assertEquals("[6,7]", root.get("a").get("data_offsets").toString());
        assertEquals("[7,23]", root.get("m").get("data_offsets").toString());
        assertTrue(new String(SafetensorsWriter.header(specs, Map.of("k", "v")), StandardCharsets.UTF_8).contains("\"__metadata__\":{\"k\":\"v\"}"));
    }

    private static List<String> iteratorToList(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void writerRejectsATensorSourceThatWritesTheWrongByteCount() {
        List<TensorSpec> specs = List.of(new TensorSpec("ok", DType.U8, shape(2)), new TensorSpec("short.one", DType.F32, shape(2)));
        IOException tooFew = assertThrows(IOException.class, () -> SafetensorsWriter.write(new ByteArrayOutputStream(), specs, Map.of(),
                (spec, out) -> out.write(new byte[spec.name().equals("ok") ? 2 : 7])));
        assertTrue(tooFew.getMessage().contains("short.one"), tooFew.getMessage());
        IOException tooMany = assertThrows(IOException.class, () -> SafetensorsWriter.write(new ByteArrayOutputStream(), specs, Map.of(),
                (spec, out) -> out.write(new byte[spec.name().equals("ok") ? 3 : 8])));
        assertTrue(tooMany.getMessage().contains("ok"), tooMany.getMessage());
    }

    @Test
    void writerRejectsDuplicateAndReservedNames() {
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.header(
                List.of(new TensorSpec("a", DType.U8, shape(1)), new TensorSpec("a", DType.U8, shape(1))), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.header(
                List.of(new TensorSpec("__metadata__", DType.U8, shape(1))), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new TensorSpec("neg", DType.F32, shape(2, -1)));
        assertThrows(ArithmeticException.class, () -> new TensorSpec("huge", DType.F32, shape(1L << 40, 1L << 40)));
    }

    @Test
    void emptyTensorsOnTheChainAreAcceptedAndReadAsEmpty() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"empty\":{\"dtype\":\"F16\",\"shape\":[0,4],\"data_offsets\":[8,8]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[8,11]}}";
        java.nio.file.Path file = TestTensors.raw(dir, "empty.safetensors", json, 11);
        try (SafetensorsFile f = SafetensorsFile.open(fs, new Path(file.toUri().toString()))) {
            assertEquals(List.of("a", "empty", "b"), f.header().tensors().stream().map(TensorInfo::name).collect(java.util.stream.Collectors.toList()));
            assertTrue(f.header().metadata().isEmpty());
            assertNull(f.header().tensor("missing"));
            assertEquals(0, f.readRowsAsFloat("empty", 0, 0).length);
        }
    }
}
