package org.nowag.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nowag.io.safetensors.DType;

/** The ONNX parser on hand-made ModelProto bytes (field numbers from onnx.proto3). */
class OnnxModelParserTest {

    private static ProtoBytes packedDims(long... dims) {
        ProtoBytes packed = new ProtoBytes();
        for (long d : dims) packed.rawVarint(d);
        return packed;
    }

    private static ProtoBytes tensor(String name, int dataType, long[] dims, byte[] raw) {
        return new ProtoBytes().messageField(1, packedDims(dims)).varintField(2, dataType).stringField(8, name)
                .bytesField(9, raw);
    }

    private static ProtoBytes node(String name, String op, List<String> inputs, List<String> outputs) {
        ProtoBytes n = new ProtoBytes();
        for (String in : inputs) n.stringField(1, in);
        for (String out : outputs) n.stringField(2, out);
        // An AttributeProto (field 5) and a domain (field 7): not used, must be skipped.
        n.messageField(5, new ProtoBytes().stringField(1, "alpha").fixed32Field(2, 0));
        return n.stringField(3, name).stringField(4, op).stringField(7, "");
    }

    private static byte[] model(ProtoBytes... graphs) {
        ProtoBytes m = new ProtoBytes().varintField(1, 6).stringField(2, "pytorch").stringField(3, "2.0.1");
        for (ProtoBytes g : graphs) m.messageField(7, g);
        // opset_import after the graph: fields may come in any order.
        return m.messageField(8, new ProtoBytes().varintField(2, 11)).bytes();
    }

    @Test
    void initializersAndNodesAreReadInFileOrder() throws Exception {
        byte[] weights = new byte[2 * 3 * 4];
        for (int i = 0; i < weights.length; i++) weights[i] = (byte) i;
        ProtoBytes graph = new ProtoBytes()
                .messageField(1, node("/a/b/MatMul", "MatMul", List.of("x", "W"), List.of("y")))
                .messageField(5, tensor("W", 1, new long[] {2, 3}, weights))
                .messageField(5, tensor("ids", 7, new long[] {1, 2}, new byte[16]))
                .messageField(11, new ProtoBytes().stringField(1, "x"))
                .messageField(1, node("/c/Add", "Add", List.of("y", "b"), List.of("z")));
        byte[] model = model(graph);

        OnnxGraph g = OnnxGraph.parse(model);

        assertEquals(2, g.initializers().size());
        OnnxInitializer w = g.initializers().get(0);
        assertEquals("W", w.name());
        assertEquals(DType.F32, w.dtype());
        assertArrayEquals(new long[] {2, 3}, w.dims());
        assertEquals(24, w.rawData().length());
        assertEquals(23, w.rawData().asLittleEndianBuffer().get(23));
        assertEquals(weights[0], model[w.rawData().offset()], "raw_data is a view at its place in the file");
        assertEquals(DType.I64, g.initializers().get(1).dtype());

        assertEquals(2, g.nodes().size());
        OnnxNode matMul = g.nodes().get(0);
        assertEquals("/a/b/MatMul", matMul.name());
        assertEquals("MatMul", matMul.opType());
        assertEquals(List.of("x", "W"), matMul.inputs());
        assertEquals(List.of("y"), matMul.outputs());
        assertEquals("Add", g.nodes().get(1).opType());
        assertEquals(24 + 16, g.totalInitializerBytes());
    }

    @Test
    void dimsMayBePackedOrOneVarintEach() throws Exception {
        ProtoBytes unpacked = new ProtoBytes().varintField(1, 4).varintField(1, 1).varintField(2, 1)
                .stringField(8, "u").bytesField(9, new byte[16]);
        OnnxGraph g = OnnxGraph.parse(model(new ProtoBytes().messageField(5, unpacked)));
        assertArrayEquals(new long[] {4, 1}, g.initializers().get(0).dims());
    }

    @Test
    void scalarInitializerHasNoDimsAndOneElement() throws Exception {
        ProtoBytes scalar = new ProtoBytes().varintField(2, 1).stringField(8, "s").bytesField(9, new byte[4]);
        OnnxInitializer s = OnnxGraph.parse(model(new ProtoBytes().messageField(5, scalar))).initializers().get(0);
        assertEquals(0, s.dims().length);
        assertEquals(1, s.numel());
    }

    @Test
    void repeatedGraphFieldsMergeAsProtobufRequires() throws Exception {
        ProtoBytes first = new ProtoBytes().messageField(5, tensor("a", 1, new long[] {1}, new byte[4]));
        ProtoBytes second = new ProtoBytes().messageField(5, tensor("b", 1, new long[] {1}, new byte[4]));
        OnnxGraph g = OnnxGraph.parse(model(first, second));
        assertEquals(List.of("a", "b"), g.initializers().stream().map(OnnxInitializer::name).toList());
    }

    @Test
    void initializerWithoutRawDataIsRejectedNamingTheFieldItUses() {
        ProtoBytes typed = new ProtoBytes().messageField(1, packedDims(1)).varintField(2, 1).stringField(8, "f")
                .messageField(4, new ProtoBytes().raw(0, 0, 0x80, 0x3f));
        OnnxFormatException e = assertThrows(OnnxFormatException.class,
                () -> OnnxGraph.parse(model(new ProtoBytes().messageField(5, typed))));
        assertTrue(e.getMessage().contains("'f'") && e.getMessage().contains("no raw_data")
                && e.getMessage().contains("field 4"), e.getMessage());
    }

    @Test
    void rawDataOfTheWrongSizeIsRejected() {
        ProtoBytes bad = tensor("w", 1, new long[] {2, 3}, new byte[20]);
        OnnxFormatException e = assertThrows(OnnxFormatException.class,
                () -> OnnxGraph.parse(model(new ProtoBytes().messageField(5, bad))));
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("20 bytes")
                && e.getMessage().contains("24"), e.getMessage());
    }

    @Test
    void negativeDimensionIsRejected() {
        ProtoBytes bad = tensor("w", 1, new long[] {-1}, new byte[4]);
        assertThrows(OnnxFormatException.class, () -> OnnxGraph.parse(model(new ProtoBytes().messageField(5, bad))));
    }

    @Test
    void bytesWithoutAGraphAreNotAModel() {
        OnnxFormatException e = assertThrows(OnnxFormatException.class,
                () -> OnnxGraph.parse(new ProtoBytes().varintField(1, 6).bytes()));
        assertTrue(e.getMessage().contains("no graph"), e.getMessage());
    }

    @Test
    void graphWithTheWrongWireTypeIsRejected() {
        OnnxFormatException e = assertThrows(OnnxFormatException.class,
                () -> OnnxGraph.parse(new ProtoBytes().varintField(7, 1).bytes()));
        assertTrue(e.getMessage().contains("ModelProto.graph"), e.getMessage());
    }

    @Test
    void truncatedFileIsRejected() {
        byte[] model = model(new ProtoBytes().messageField(5, tensor("w", 1, new long[] {4}, new byte[16])));
        byte[] truncated = Arrays.copyOf(model, model.length - 12);
        assertThrows(OnnxFormatException.class, () -> OnnxGraph.parse(truncated));
    }

    @Test
    void duplicateInitializerNamesAreReportedByTheNameIndex() throws Exception {
        ProtoBytes graph = new ProtoBytes().messageField(5, tensor("w", 1, new long[] {1}, new byte[4]))
                .messageField(5, tensor("w", 1, new long[] {1}, new byte[4]));
        OnnxGraph g = OnnxGraph.parse(model(graph));
        OnnxFormatException e = assertThrows(OnnxFormatException.class, g::initializersByName);
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
    }
}
