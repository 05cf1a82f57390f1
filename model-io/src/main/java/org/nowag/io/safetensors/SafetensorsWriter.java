package org.nowag.io.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Streams one safetensors file: header first, then each tensor's bytes in the order given (no tensor is held whole). */
public final class SafetensorsWriter {
    /** Supplies the bytes of one tensor; must write exactly spec.byteSize() bytes (checked). */
    public interface TensorBytes {
        void writeTo(TensorSpec spec, OutputStream out) throws IOException;
    }

    private static final JsonFactory JSON = new JsonFactory();

    private SafetensorsWriter() {}

    /** The header bytes (8-byte length + JSON padded with spaces to a multiple of 8) for these tensors, offsets in order. */
    public static byte[] header(List<TensorSpec> tensors, Map<String, String> metadata) {
        byte[] json = headerJson(tensors, metadata);
        // Padding the JSON to a multiple of 8 keeps the data section 8-byte aligned (8 + N), which memory-mapping
        // readers rely on for aligned F32/F64 views; the format allows trailing spaces in the header.
        int padded = (json.length + 7) & ~7;
        byte[] out = new byte[8 + padded];
        long n = padded;
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (n >>> (8 * i));
        }
        System.arraycopy(json, 0, out, 8, json.length);
        for (int i = 8 + json.length; i < out.length; i++) {
            out[i] = ' ';
        }
        return out;
    }

    /** Total file size for these tensors. */
    public static long fileSize(List<TensorSpec> tensors, Map<String, String> metadata) {
        long size = header(tensors, metadata).length;
        for (TensorSpec t : tensors) {
            size = Math.addExact(size, t.byteSize());
        }
        return size;
    }

    public static void write(OutputStream out, List<TensorSpec> tensors, Map<String, String> metadata, TensorBytes source) throws IOException {
        out.write(header(tensors, metadata));
        for (TensorSpec t : tensors) {
            long expected = t.byteSize();
            ExactLengthStream counted = new ExactLengthStream(out, t.name(), expected);
            source.writeTo(t, counted);
            if (counted.written != expected) {
                throw new IOException("tensor '" + t.name() + "': wrote " + counted.written + " bytes, expected " + expected
                        + " (" + t.dtype() + " " + Arrays.toString(t.shape()) + ")");
            }
        }
        out.flush();
    }

    /** The unpadded header JSON: "__metadata__" first (only when non-empty), then tensors in the given order. */
    static byte[] headerJson(List<TensorSpec> tensors, Map<String, String> metadata) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Set<String> names = new HashSet<>();
        long offset = 0;
        try (JsonGenerator g = JSON.createGenerator(buf)) {
            g.writeStartObject();
            if (metadata != null && !metadata.isEmpty()) {
                g.writeObjectFieldStart("__metadata__");
                for (Map.Entry<String, String> e : metadata.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            for (TensorSpec t : tensors) {
                if ("__metadata__".equals(t.name())) {
                    throw new IllegalArgumentException("'__metadata__' is reserved and cannot name a tensor");
                }
                if (!names.add(t.name())) {
                    throw new IllegalArgumentException("duplicate tensor name '" + t.name() + "'");
                }
                long size = t.byteSize();
                g.writeObjectFieldStart(t.name());
                g.writeStringField("dtype", t.dtype().name());
                g.writeArrayFieldStart("shape");
                for (long d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + size);
                g.writeEndArray();
                g.writeEndObject();
                offset = Math.addExact(offset, size);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing JSON to memory", e);
        }
        return buf.toByteArray();
    }

    /**
     * Passes bytes through and fails as soon as a tensor writes more than its size, before the extra bytes reach the
     * file; close() does not close the shared stream.
     */
    private static final class ExactLengthStream extends FilterOutputStream {
        private final String tensor;
        private final long limit;
        long written;

        ExactLengthStream(OutputStream out, String tensor, long limit) {
            super(out);
            this.tensor = tensor;
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            ensureRoom(1);
            out.write(b);
            written++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ensureRoom(len);
            out.write(b, off, len);
            written += len;
        }

        private void ensureRoom(int len) throws IOException {
            if (written + len > limit) {
                throw new IOException("tensor '" + tensor + "': wrote more than its " + limit + " bytes");
            }
        }

        @Override
        public void close() throws IOException {
            // The file stream belongs to the caller of write(); a tensor source closing its stream must not end it.
            flush();
        }
    }
}
