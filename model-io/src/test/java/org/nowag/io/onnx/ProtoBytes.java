package org.nowag.io.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test-only protobuf encoder: builds hand-made messages for the reader and parser tests. */
final class ProtoBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static byte[] varint(long v) {
        ProtoBytes b = new ProtoBytes();
        b.rawVarint(v);
        return b.bytes();
    }

    ProtoBytes rawVarint(long v) {
        // Unsigned base-128, low group first: the textbook definition.
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return this;
    }

    ProtoBytes raw(int... bytes) {
        for (int b : bytes) out.write(b);
        return this;
    }

    ProtoBytes tag(int field, int wireType) {
        return rawVarint(((long) field << 3) | wireType);
    }

    ProtoBytes varintField(int field, long v) {
        return tag(field, ProtoReader.VARINT).rawVarint(v);
    }

    ProtoBytes bytesField(int field, byte[] payload) {
        tag(field, ProtoReader.LENGTH_DELIMITED).rawVarint(payload.length);
        out.write(payload, 0, payload.length);
        return this;
    }

    ProtoBytes stringField(int field, String s) {
        return bytesField(field, s.getBytes(StandardCharsets.UTF_8));
    }

    ProtoBytes messageField(int field, ProtoBytes message) {
        return bytesField(field, message.bytes());
    }

    ProtoBytes fixed32Field(int field, int v) {
        tag(field, ProtoReader.FIXED32);
        for (int i = 0; i < 4; i++) out.write(v >>> (8 * i));
        return this;
    }

    ProtoBytes fixed64Field(int field, long v) {
        tag(field, ProtoReader.FIXED64);
        for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)));
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
