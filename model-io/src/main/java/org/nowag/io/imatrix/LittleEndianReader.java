package org.nowag.io.imatrix;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Reads little-endian fields from a whole file's bytes; running past the end is an error naming the field. */
final class LittleEndianReader {
    private final String file;
    private final ByteBuffer buf;

    LittleEndianReader(String file, byte[] bytes) {
        this.file = file;
        this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    String file() { return file; }
    long position() { return buf.position(); }
    long length() { return buf.limit(); }
    long remaining() { return buf.remaining(); }

    void seek(long pos, String what) throws ImatrixFormatException {
        if (pos < 0 || pos > buf.limit()) {
            throw new ImatrixFormatException(file, "truncated: " + what + " starts at byte " + pos + " but the file has "
                    + buf.limit() + " bytes");
        }
        buf.position((int) pos);
    }

    private void need(long n, String what) throws ImatrixFormatException {
        if (n < 0 || n > buf.remaining()) {
            throw new ImatrixFormatException(file, "truncated: " + what + " needs " + n + " bytes at byte "
                    + buf.position() + " but only " + buf.remaining() + " remain");
        }
    }

    int i32(String what) throws ImatrixFormatException {
        need(4, what);
        return buf.getInt();
    }

    /** An unsigned 32-bit field, as a long. */
    long u32(String what) throws ImatrixFormatException {
        need(4, what);
        return buf.getInt() & 0xFFFFFFFFL;
    }

    /** An unsigned 64-bit field; above Long.MAX_VALUE it cannot be a size in a real file. */
    long u64(String what) throws ImatrixFormatException {
        need(8, what);
        long v = buf.getLong();
        if (v < 0) throw new ImatrixFormatException(file, what + " is " + Long.toUnsignedString(v) + ", which is not a valid size");
        return v;
    }

    byte[] bytes(long n, String what) throws ImatrixFormatException {
        need(n, what);
        byte[] b = new byte[(int) n];
        buf.get(b);
        return b;
    }

    String utf8(long n, String what) throws ImatrixFormatException {
        return new String(bytes(n, what), StandardCharsets.UTF_8);
    }

    float[] f32s(long n, String what) throws ImatrixFormatException {
        if (n > Integer.MAX_VALUE / 4) throw new ImatrixFormatException(file, what + ": " + n + " floats is too many");
        need(n * 4, what);
        float[] v = new float[(int) n];
        buf.asFloatBuffer().get(v);
        buf.position(buf.position() + (int) n * 4);
        return v;
    }
}
