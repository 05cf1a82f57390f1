package org.nowag.io.safetensors;

import java.util.List;
import java.util.Map;

/**
 * A validated safetensors header: 8-byte LE length N (bounded: at most 100 MiB and at most fileLength - 8),
 * N bytes of JSON (objects nested at most a few levels), every dtype known, every offset inside the data section,
 * no overlaps, byte size = product(shape) x dtype size. Every error is a SafetensorsFormatException naming the file.
 */
public final class SafetensorsHeader {
    /** Parses and validates; fileLength is the whole file's size. */
    public static SafetensorsHeader parse(String file, long fileLength, long headerLength, byte[] headerJson) throws SafetensorsFormatException { throw new UnsupportedOperationException("todo"); }

    /** Tensors in data-offset order. */
    public List<TensorInfo> tensors() { throw new UnsupportedOperationException("todo"); }
    /** null if absent. */
    public TensorInfo tensor(String name) { throw new UnsupportedOperationException("todo"); }
    public Map<String, String> metadata() { throw new UnsupportedOperationException("todo"); }
    /** Absolute file offset where tensor data starts: 8 + N. */
    public long dataStart() { throw new UnsupportedOperationException("todo"); }
}
