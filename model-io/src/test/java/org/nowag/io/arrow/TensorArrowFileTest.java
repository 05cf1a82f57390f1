package org.nowag.io.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.junit.jupiter.api.Test;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.TensorSpec;

class TensorArrowFileTest {
    private static final List<TensorSpec> SPECS = List.of(
            new TensorSpec("w.vq.codes", DType.U8, new long[] {7}),
            new TensorSpec("w.vq.codebook", DType.F16, new long[] {4, 3}),
            new TensorSpec("w.vq.row_norms", DType.F32, new long[] {5}),
            new TensorSpec("empty", DType.F32, new long[] {0, 3}));

    private static Map<String, byte[]> randomBytes() {
        Random rnd = new Random(1);
        Map<String, byte[]> bytes = new HashMap<>();
        for (TensorSpec s : SPECS) {
            byte[] b = new byte[(int) s.byteSize()];
            rnd.nextBytes(b);
            bytes.put(s.name(), b);
        }
        return bytes;
    }

    @Test
    void everyTensorReadsBackWithItsNameDtypeShapeAndExactBytes() throws IOException {
        Map<String, byte[]> bytes = randomBytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TensorArrowFile.write(out, SPECS, Map.of("source_shard", "model.safetensors"), s -> bytes.get(s.name()));
        List<TensorArrowFile.Entry> back = TensorArrowFile.readAll(new ByteArrayReadableSeekableByteChannel(out.toByteArray()));
        assertEquals(SPECS.size(), back.size());
        for (int i = 0; i < SPECS.size(); i++) {
            TensorSpec s = SPECS.get(i);
            TensorArrowFile.Entry e = back.get(i);
            assertEquals(s.name(), e.name);
            assertEquals(s.dtype().name(), e.dtype);
            assertArrayEquals(s.shape(), e.shape);
            assertArrayEquals(bytes.get(s.name()), e.data, s.name());
        }
    }

    @Test
    void theFileIsAStandardArrowIpcFileWithOneBatchPerTensorAndItsMetadata() throws IOException {
        Map<String, byte[]> bytes = randomBytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TensorArrowFile.write(out, SPECS, Map.of("source_shard", "model.safetensors"), s -> bytes.get(s.name()));
        byte[] file = out.toByteArray();
        // The IPC file format starts and ends with the magic "ARROW1".
        assertEquals("ARROW1", new String(file, 0, 6, StandardCharsets.US_ASCII));
        assertEquals("ARROW1", new String(file, file.length - 6, 6, StandardCharsets.US_ASCII));
        try (RootAllocator a = new RootAllocator();
             ArrowFileReader r = new ArrowFileReader(new ByteArrayReadableSeekableByteChannel(file), a)) {
            Map<String, String> meta = r.getVectorSchemaRoot().getSchema().getCustomMetadata();
            assertEquals(TensorArrowFile.FORMAT, meta.get("format"));
            assertEquals("model.safetensors", meta.get("source_shard"));
            assertEquals(SPECS.size(), r.getRecordBlocks().size());
            assertEquals("[name, dtype, shape, data]", r.getVectorSchemaRoot().getSchema().getFields().stream()
                    .map(f -> f.getName()).toList().toString());
        }
    }

    @Test
    void aSourceGivingTheWrongByteCountIsRefusedByName() {
        IOException e = assertThrows(IOException.class, () -> TensorArrowFile.write(new ByteArrayOutputStream(), SPECS,
                Map.of(), s -> new byte[3]));
        assertTrue(e.getMessage().contains("w.vq.codes") && e.getMessage().contains("expected 7 bytes"), e.getMessage());
    }

    @Test
    void aFileThatIsNotOursIsRefused() throws IOException {
        byte[] junk = "not an arrow file at all, just text".getBytes(StandardCharsets.UTF_8);
        assertThrows(Exception.class, () -> TensorArrowFile.readAll(new ByteArrayReadableSeekableByteChannel(junk)));
    }
}
