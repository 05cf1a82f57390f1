package org.nowag.io.onnx;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A read-only view of bytes inside a larger array (the whole ONNX file): 90 MB of weights are parsed without a
 * second copy. The array is shared; nothing in this package writes to it.
 */
public final class ByteSlice {
    private final byte[] array;
    private final int offset;
    private final int length;

    ByteSlice(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    public int length() {
        return length;
    }

    /** Offset of the first byte in the underlying array (for an ONNX initializer: its position in the file). */
    public int offset() {
        return offset;
    }

    /** Little-endian, read-only view (ONNX raw_data is little-endian). */
    public ByteBuffer asLittleEndianBuffer() {
        // asReadOnlyBuffer() resets the byte order to big-endian, so the order is set last.
        return ByteBuffer.wrap(array, offset, length).slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(array, offset, length);
    }

    /** The shared array itself, for bulk copies inside this package; never written to. */
    byte[] array() {
        return array;
    }
}
