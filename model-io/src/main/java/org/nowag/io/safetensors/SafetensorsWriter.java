package org.nowag.io.safetensors;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/** Streams one safetensors file: header first, then each tensor's bytes in the order given (no tensor is held whole). */
public final class SafetensorsWriter {
    /** Supplies the bytes of one tensor; must write exactly spec.byteSize() bytes (checked). */
    public interface TensorBytes {
        void writeTo(TensorSpec spec, OutputStream out) throws IOException;
    }

    private SafetensorsWriter() {}

    /** The header bytes (8-byte length + JSON padded with spaces to a multiple of 8) for these tensors, offsets in order. */
    public static byte[] header(List<TensorSpec> tensors, Map<String, String> metadata) { throw new UnsupportedOperationException("todo"); }

    /** Total file size for these tensors. */
    public static long fileSize(List<TensorSpec> tensors, Map<String, String> metadata) { throw new UnsupportedOperationException("todo"); }

    public static void write(OutputStream out, List<TensorSpec> tensors, Map<String, String> metadata, TensorBytes source) throws IOException { throw new UnsupportedOperationException("todo"); }
}
