package org.nowag.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.TensorSpec;

/** Name mapping and layout of the real file, before anything is written. */
class MiniLmTensorMapperTest {

    private static MappedTensor find(List<MappedTensor> tensors, String name) {
        return tensors.stream().filter(t -> t.spec().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void all102InitializersMapInStateDictOrder() throws Exception {
        List<MappedTensor> tensors = MiniLmTensorMapper.map(MiniLmFixture.graph());
        assertEquals(102, tensors.size());
        assertEquals(MiniLmArchitecture.tensors().stream().map(TensorSpec::name).collect(Collectors.toList()),
                tensors.stream().map(t -> t.spec().name()).collect(Collectors.toList()));
        assertEquals("embeddings.word_embeddings.weight", tensors.get(0).spec().name());
        assertEquals(101, tensors.stream().filter(t -> t.spec().dtype() == DType.F32).count());
    }

    @Test
    void positionIdsStayAnInt64TensorCopiedAsIs() throws Exception {
        MappedTensor ids = find(MiniLmTensorMapper.map(MiniLmFixture.graph()), "embeddings.position_ids");
        assertEquals(DType.I64, ids.spec().dtype());
        assertArrayEquals(new long[] {1, 512}, ids.spec().shape());
        assertFalse(ids.transposed());
    }

    @Test
    void the36LinearWeightsAreTransposedToOutIn() throws Exception {
        List<MappedTensor> tensors = MiniLmTensorMapper.map(MiniLmFixture.graph());
        assertEquals(36, tensors.stream().filter(MappedTensor::transposed).count());
        for (int k = 0; k < 6; k++) {
            String p = "encoder.layer." + k + ".";
            for (String m : List.of("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense")) {
                assertLinear(tensors, p + m + ".weight", 384, 384);
            }
            assertLinear(tensors, p + "intermediate.dense.weight", 1536, 384);
            assertLinear(tensors, p + "output.dense.weight", 384, 1536);
        }
    }

    private static void assertLinear(List<MappedTensor> tensors, String name, long out, long in) {
        MappedTensor t = find(tensors, name);
        assertTrue(t.transposed(), name);
        assertArrayEquals(new long[] {out, in}, t.spec().shape(), name + " is [out, in]");
        assertArrayEquals(new long[] {in, out}, t.source().dims(), name + " is [in, out] in ONNX");
        assertTrue(t.source().name().startsWith("onnx::MatMul_"), name);
    }

    @Test
    void missingTensorIsNamed() throws Exception {
        List<OnnxInitializer> without = new ArrayList<>(MiniLmFixture.graph().initializers());
        without.removeIf(t -> t.name().equals("encoder.layer.3.output.LayerNorm.bias"));
        OnnxGraph g = new OnnxGraph(without, MiniLmFixture.graph().nodes());
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> MiniLmTensorMapper.map(g));
        assertTrue(e.getMessage().contains("missing tensor 'encoder.layer.3.output.LayerNorm.bias'"), e.getMessage());
        assertTrue(e.getMessage().contains("1 problem"), e.getMessage());
    }

    @Test
    void matMulWeightWhoseNodeIsGoneIsReported() throws Exception {
        List<OnnxNode> nodes = new ArrayList<>(MiniLmFixture.graph().nodes());
        nodes.removeIf(n -> n.name().equals("/encoder/layer.0/output/dense/MatMul"));
        OnnxGraph g = new OnnxGraph(MiniLmFixture.graph().initializers(), nodes);
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> MiniLmTensorMapper.map(g));
        assertTrue(e.getMessage().contains("'onnx::MatMul_799'") && e.getMessage().contains("consumed by 0 nodes"),
                e.getMessage());
    }

    @Test
    void unexpectedTensorIsRejected() throws Exception {
        List<OnnxInitializer> extra = new ArrayList<>(MiniLmFixture.graph().initializers());
        extra.add(new OnnxInitializer("pooler.dense.bias", OnnxDataTypes.FLOAT, new long[] {1},
                new ByteSlice(new byte[4], 0, 4)));
        OnnxGraph g = new OnnxGraph(extra, MiniLmFixture.graph().nodes());
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> MiniLmTensorMapper.map(g));
        assertTrue(e.getMessage().contains("unexpected tensor 'pooler.dense.bias'"), e.getMessage());
    }

    @Test
    void wrongShapeIsReportedWithTheExpectedOne() throws Exception {
        List<OnnxInitializer> changed = new ArrayList<>();
        for (OnnxInitializer t : MiniLmFixture.graph().initializers()) {
            changed.add(t.name().equals("embeddings.token_type_embeddings.weight")
                    ? new OnnxInitializer(t.name(), t.dataType(), new long[] {384, 2}, t.rawData()) : t);
        }
        OnnxGraph g = new OnnxGraph(changed, MiniLmFixture.graph().nodes());
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> MiniLmTensorMapper.map(g));
        assertTrue(e.getMessage().contains("F32 [384, 2], expected F32 [2, 384]"), e.getMessage());
        assertFalse(e.getMessage().contains("missing"), "reported once, not also as missing: " + e.getMessage());
    }
}
