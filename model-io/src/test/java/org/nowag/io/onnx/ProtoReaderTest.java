package org.nowag.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ProtoReaderTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
        return b;
    }

    private static long varint(int... encoded) throws OnnxFormatException {
        ProtoReader r = new ProtoReader(bytes(encoded));
        long v = r.readVarint();
        assertFalse(r.hasRemaining(), "the varint consumes exactly its bytes");
        return v;
    }

    @Test
    void singleByteVarintsAreTheirOwnValue() throws Exception {
        assertEquals(0, varint(0x00));
        assertEquals(1, varint(0x01));
        assertEquals(127, varint(0x7f));
    }

    @Test
    void multiByteVarintsPutTheLowGroupFirst() throws Exception {
        assertEquals(128, varint(0x80, 0x01));
        assertEquals(150, varint(0x96, 0x01)); // the protobuf documentation's example
        assertEquals(300, varint(0xac, 0x02));
        assertEquals(16_384, varint(0x80, 0x80, 0x01));
        assertEquals(0xffffffffL, varint(0xff, 0xff, 0xff, 0xff, 0x0f));
    }

    @Test
    void tenByteVarintsCoverTheWholeSignedRange() throws Exception {
        assertEquals(Long.MAX_VALUE, varint(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f));
        // Negative int32/int64 values are sign-extended to 64 bits on the wire, hence always 10 bytes.
        assertEquals(-1L, varint(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01));
        assertEquals(Long.MIN_VALUE, varint(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01));
    }

    @Test
    void nonMinimalVarintsAreAccepted() throws Exception {
        // Legal protobuf (some encoders pad lengths); the value is what the groups say.
        assertEquals(0, varint(0x80, 0x00));
        assertEquals(1, varint(0x81, 0x80, 0x80, 0x00));
    }

    @Test
    void varintsAgreeWithTheReferenceEncoder() throws Exception {
        long[] values = {0, 1, 127, 128, 255, 256, 16_383, 16_384, Integer.MAX_VALUE, 1L << 35, -2, Long.MIN_VALUE + 1};
        for (long v : values) {
            assertEquals(v, new ProtoReader(ProtoBytes.varint(v)).readVarint(), "value " + v);
        }
    }

    @Test
    void varintPastSixtyFourBitsIsRejected() {
        OnnxFormatException e = assertThrows(OnnxFormatException.class,
                () -> varint(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02));
        assertTrue(e.getMessage().contains("64 bits"), e.getMessage());
        assertThrows(OnnxFormatException.class,
                () -> varint(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x01));
    }

    @Test
    void truncatedVarintIsRejectedWithItsOffset() {
        ProtoReader r = new ProtoReader(bytes(0x08, 0x96));
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> {
            r.readTag();
            r.readVarint();
        });
        assertTrue(e.getMessage().contains("truncated varint") && e.getMessage().contains("byte 1"), e.getMessage());
    }

    @Test
    void fixedWidthFieldsAreLittleEndian() throws Exception {
        byte[] msg = new ProtoBytes().fixed32Field(1, 0x01020304).fixed64Field(2, -2L)
                .fixed32Field(3, Float.floatToIntBits(1.5f)).bytes();
        assertArrayEquals(bytes(0x0d, 0x04, 0x03, 0x02, 0x01), java.util.Arrays.copyOf(msg, 5));
        ProtoReader r = new ProtoReader(msg);
        assertEquals((1 << 3) | ProtoReader.FIXED32, r.readTag());
        assertEquals(0x01020304, r.readFixed32());
        assertEquals((2 << 3) | ProtoReader.FIXED64, r.readTag());
        assertEquals(-2L, r.readFixed64());
        r.readTag();
        assertEquals(1.5f, Float.intBitsToFloat(r.readFixed32()));
        assertFalse(r.hasRemaining());
    }

    @Test
    void truncatedFixedFieldsAreRejected() {
        assertThrows(OnnxFormatException.class, () -> new ProtoReader(bytes(1, 2, 3)).readFixed32());
        assertThrows(OnnxFormatException.class, () -> new ProtoReader(bytes(1, 2, 3, 4, 5, 6, 7)).readFixed64());
    }

    @Test
    void lengthDelimitedFieldIsAViewIntoTheSameArray() throws Exception {
        byte[] msg = new ProtoBytes().varintField(1, 7).bytesField(9, bytes(10, 20, 30)).bytes();
        ProtoReader r = new ProtoReader(msg);
        r.readTag();
        r.readVarint();
        assertEquals(9, ProtoReader.fieldNumber(r.readTag()));
        ByteSlice s = r.readLengthDelimited();
        assertEquals(3, s.length());
        assertEquals(msg.length - 3, s.offset(), "offset in the original array: nothing was copied");
        ByteBuffer view = s.asLittleEndianBuffer();
        assertEquals(10, view.get(0));
        assertEquals(30, view.get(2));
        assertTrue(view.isReadOnly());
    }

    @Test
    void byteSliceBufferIsLittleEndianEvenThoughReadOnly() throws Exception {
        ProtoReader r = new ProtoReader(new ProtoBytes().bytesField(1, bytes(0x01, 0x02, 0x03, 0x04)).bytes());
        r.readTag();
        assertEquals(0x04030201, r.readLengthDelimited().asLittleEndianBuffer().getInt(0));
    }

    @Test
    void stringsAreUtf8() throws Exception {
        ProtoReader r = new ProtoReader(new ProtoBytes().stringField(3, "/layer.0/Mat\u00e9Mul \u2713").bytes());
        r.readTag();
        assertEquals("/layer.0/Mat\u00e9Mul \u2713", r.readString());
    }

    @Test
    void nestedMessagesAreReadInsideTheirOwnBoundsAndTheOuterReaderResumesAfterThem() throws Exception {
        ProtoBytes inner = new ProtoBytes().varintField(3, 150).stringField(4, "hi");
        ProtoBytes middle = new ProtoBytes().messageField(2, inner).varintField(5, 1);
        byte[] outer = new ProtoBytes().messageField(1, middle).fixed32Field(6, 42).bytes();

        ProtoReader r = new ProtoReader(outer);
        assertEquals(1, ProtoReader.fieldNumber(r.readTag()));
        ProtoReader m = r.readMessage();
        assertEquals(2, ProtoReader.fieldNumber(m.readTag()));
        ProtoReader i = m.readMessage();
        assertEquals(3, ProtoReader.fieldNumber(i.readTag()));
        assertEquals(150, i.readVarint());
        assertEquals(4, ProtoReader.fieldNumber(i.readTag()));
        assertEquals("hi", i.readString());
        assertFalse(i.hasRemaining(), "the inner reader stops at the inner message's end");
        assertEquals(5, ProtoReader.fieldNumber(m.readTag()));
        assertEquals(1, m.readVarint());
        assertFalse(m.hasRemaining());
        assertEquals(6, ProtoReader.fieldNumber(r.readTag()));
        assertEquals(42, r.readFixed32());
        assertFalse(r.hasRemaining());
    }

    @Test
    void lengthPastTheEnclosingMessageIsRejectedEvenIfTheArrayIsLonger() throws Exception {
        // Outer field 1 holds 3 bytes: a nested field 2 that claims 5 bytes, which exist in the array but lie outside.
        byte[] msg = bytes(0x0a, 0x03, 0x12, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00);
        ProtoReader r = new ProtoReader(msg);
        r.readTag();
        ProtoReader nested = r.readMessage();
        nested.readTag();
        OnnxFormatException e = assertThrows(OnnxFormatException.class, nested::readLengthDelimited);
        assertTrue(e.getMessage().contains("runs past the end"), e.getMessage());
    }

    @Test
    void negativeLengthIsRejected() {
        // Length -1 as a 10-byte varint.
        byte[] msg = bytes(0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
        ProtoReader r = new ProtoReader(msg);
        assertThrows(OnnxFormatException.class, () -> {
            r.readTag();
            r.readLengthDelimited();
        });
    }

    @Test
    void tagsSplitIntoFieldNumberAndWireType() throws Exception {
        int tag = new ProtoReader(new ProtoBytes().tag((1 << 29) - 1, ProtoReader.LENGTH_DELIMITED).bytes()).readTag();
        assertEquals((1 << 29) - 1, ProtoReader.fieldNumber(tag));
        assertEquals(ProtoReader.LENGTH_DELIMITED, ProtoReader.wireType(tag));
    }

    @Test
    void fieldNumberZeroGroupsAndUndefinedWireTypesAreRejected() {
        assertThrows(OnnxFormatException.class, () -> new ProtoReader(bytes(0x00)).readTag());
        assertThrows(OnnxFormatException.class, () -> new ProtoReader(bytes(0x0b)).readTag()); // field 1, start group
        assertThrows(OnnxFormatException.class, () -> new ProtoReader(bytes(0x0c)).readTag()); // field 1, end group
        assertThrows(OnnxFormatException.class, () -> new ProtoReader(bytes(0x0e)).readTag()); // wire type 6
        assertThrows(OnnxFormatException.class, () -> new ProtoReader(bytes(0x0f)).readTag()); // wire type 7
    }

    @Test
    void skipFieldLandsOnTheNextTagForEveryWireType() throws Exception {
        byte[] msg = new ProtoBytes().varintField(1, -1).fixed64Field(2, 5).bytesField(3, new byte[300])
                .fixed32Field(4, 9).varintField(5, 77).bytes();
        ProtoReader r = new ProtoReader(msg);
        for (int field = 1; field <= 4; field++) {
            int tag = r.readTag();
            assertEquals(field, ProtoReader.fieldNumber(tag));
            r.skipField(tag);
        }
        assertEquals(5, ProtoReader.fieldNumber(r.readTag()));
        assertEquals(77, r.readVarint());
        assertFalse(r.hasRemaining());
    }

    @Test
    void emptyInputHasNoFields() {
        assertFalse(new ProtoReader(new byte[0]).hasRemaining());
    }
}
