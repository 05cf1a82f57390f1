package org.nowag.io.onnx;

import java.nio.charset.StandardCharsets;

/**
 * Reads protobuf wire format from a byte array window [position, limit) without copying: length-delimited fields
 * come back as {@link ByteSlice} views, nested messages as readers over a sub-window of the same array.
 * Only what ONNX needs: varint, 64-bit, length-delimited and 32-bit fields; groups (wire types 3, 4) are rejected.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    /** Protobuf's largest field number (2^29 - 1). */
    private static final long MAX_FIELD_NUMBER = (1L << 29) - 1;

    private final byte[] buf;
    private final int limit;
    private int pos;

    ProtoReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    ProtoReader(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || length > buf.length - offset) {
            throw new IndexOutOfBoundsException("window [" + offset + ", " + offset + " + " + length + ") outside "
                    + buf.length + " bytes");
        }
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
    }

    boolean hasRemaining() {
        return pos < limit;
    }

    /** Absolute offset in the underlying array; error messages use it so a bad file can be inspected with a hex dump. */
    int position() {
        return pos;
    }

    /** Reads a field key; returns it whole ({@code fieldNumber << 3 | wireType}), validated. */
    int readTag() throws OnnxFormatException {
        int start = pos;
        long key = readVarint();
        long field = key >>> 3;
        int wireType = (int) (key & 7);
        if (field < 1 || field > MAX_FIELD_NUMBER) {
            throw error(start, "invalid field number " + field);
        }
        if (wireType != VARINT && wireType != FIXED64 && wireType != LENGTH_DELIMITED && wireType != FIXED32) {
            throw error(start, "unsupported wire type " + wireType + " for field " + field);
        }
        return (int) key;
    }

    static int fieldNumber(int tag) {
        return tag >>> 3;
    }

    static int wireType(int tag) {
        return tag & 7;
    }

    /**
     * Base-128 varint, least significant group first, at most 10 bytes. Negative int32/int64 values are always
     * encoded as 10 bytes; the 10th byte may only carry bit 63, anything more would silently overflow a long.
     */
    long readVarint() throws OnnxFormatException {
        int start = pos;
        long value = 0;
        for (int i = 0; i < 10; i++) {
            if (pos >= limit) {
                throw error(start, "truncated varint");
            }
            int b = buf[pos++] & 0xff;
            if (i == 9 && b > 1) {
                throw error(start, "varint longer than 64 bits");
            }
            value |= (long) (b & 0x7f) << (7 * i);
            if (b < 0x80) {
                return value;
            }
        }
        throw error(start, "varint longer than 10 bytes");
    }

    int readFixed32() throws OnnxFormatException {
        require(4, "fixed32");
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    long readFixed64() throws OnnxFormatException {
        long lo = readFixed32() & 0xffffffffL;
        long hi = readFixed32() & 0xffffffffL;
        return lo | hi << 32;
    }

    /** The payload of a length-delimited field, as a view (no copy). */
    ByteSlice readLengthDelimited() throws OnnxFormatException {
        int start = pos;
        long length = readVarint();
        // A length is a non-negative int32 on the wire; anything else (or past the window) is a corrupt file.
        if (length < 0 || length > limit - pos) {
            throw error(start, "length " + length + " runs past the end of the enclosing message (" + (limit - pos)
                    + " bytes left)");
        }
        ByteSlice slice = new ByteSlice(buf, pos, (int) length);
        pos += (int) length;
        return slice;
    }

    String readString() throws OnnxFormatException {
        ByteSlice s = readLengthDelimited();
        return new String(s.array(), s.offset(), s.length(), StandardCharsets.UTF_8);
    }

    /** A reader over an embedded message; this reader moves past it. */
    ProtoReader readMessage() throws OnnxFormatException {
        ByteSlice s = readLengthDelimited();
        return new ProtoReader(s.array(), s.offset(), s.length());
    }

    /** Skips the value of a field whose key was just read (unknown fields are legal protobuf and must be tolerated). */
    void skipField(int tag) throws OnnxFormatException {
        switch (wireType(tag)) {
            case VARINT:
                readVarint();
                break;
            case FIXED64:
                require(8, "fixed64");
                pos += 8;
                break;
            case LENGTH_DELIMITED:
                readLengthDelimited();
                break;
            case FIXED32:
                require(4, "fixed32");
                pos += 4;
                break;
            default:
                throw error(pos, "cannot skip wire type " + wireType(tag));
        }
    }

    private void require(int bytes, String what) throws OnnxFormatException {
        if (limit - pos < bytes) {
            throw error(pos, "truncated " + what + " (" + (limit - pos) + " of " + bytes + " bytes left)");
        }
    }

    private static OnnxFormatException error(int offset, String problem) {
        return new OnnxFormatException("protobuf at byte " + offset + ": " + problem);
    }
}
