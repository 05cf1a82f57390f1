package org.nowag.io.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatMulWeightNamesTest {

    private static OnnxInitializer weight(String name) {
        return new OnnxInitializer(name, OnnxDataTypes.FLOAT, new long[] {1, 1}, new ByteSlice(new byte[4], 0, 4));
    }

    private static OnnxNode node(String name, String op, String... inputs) {
        return new OnnxNode(name, op, List.of(inputs), List.of(name + "_out"));
    }

    @Test
    void nodeNameBecomesTheModulePathWithWeightSuffix() {
        assertEquals("encoder.layer.0.attention.self.query.weight",
                MatMulWeightNames.hfWeightName("/encoder/layer.0/attention/self/query/MatMul"));
        assertEquals("encoder.layer.5.output.dense.weight",
                MatMulWeightNames.hfWeightName("/encoder/layer.5/output/dense/MatMul"));
    }

    @Test
    void nodeNamesWithoutAModulePathAreNotNamed() {
        assertNull(MatMulWeightNames.hfWeightName("MatMul"));
        assertNull(MatMulWeightNames.hfWeightName("/MatMul"));
        assertNull(MatMulWeightNames.hfWeightName("/encoder//dense/MatMul"));
        assertNull(MatMulWeightNames.hfWeightName("/encoder/layer.0/attention/self/MatMul_1"));
        assertNull(MatMulWeightNames.hfWeightName("encoder/dense/MatMul"));
    }

    @Test
    void realFileNamesAll36WeightsAndLayer0MatchesTheResearchTable() throws Exception {
        Map<String, String> names = MatMulWeightNames.resolve(MiniLmFixture.graph());
        assertEquals(36, names.size());
        assertEquals(36, names.values().stream().distinct().count());
        String p = "encoder.layer.0.";
        assertEquals(p + "attention.self.query.weight", names.get("onnx::MatMul_787"));
        assertEquals(p + "attention.self.key.weight", names.get("onnx::MatMul_788"));
        assertEquals(p + "attention.self.value.weight", names.get("onnx::MatMul_791"));
        assertEquals(p + "attention.output.dense.weight", names.get("onnx::MatMul_797"));
        assertEquals(p + "intermediate.dense.weight", names.get("onnx::MatMul_798"));
        assertEquals(p + "output.dense.weight", names.get("onnx::MatMul_799"));
        assertEquals("encoder.layer.5.output.dense.weight", names.get("onnx::MatMul_864"));
    }

    @Test
    void namedInitializersAreLeftAlone() throws Exception {
        OnnxGraph g = new OnnxGraph(List.of(weight("dense.weight")), List.of(node("/dense/MatMul", "MatMul", "x", "dense.weight")));
        assertTrue(MatMulWeightNames.resolve(g).isEmpty());
    }

    @Test
    void unusedAnonymousInitializerCannotBeNamed() {
        OnnxGraph g = new OnnxGraph(List.of(weight("onnx::MatMul_1")), List.of());
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> MatMulWeightNames.resolve(g));
        assertTrue(e.getMessage().contains("'onnx::MatMul_1'") && e.getMessage().contains("consumed by 0 nodes"),
                e.getMessage());
    }

    @Test
    void anonymousInitializerUsedTwiceIsAmbiguous() {
        OnnxGraph g = new OnnxGraph(List.of(weight("onnx::MatMul_1")), List.of(
                node("/a/MatMul", "MatMul", "x", "onnx::MatMul_1"), node("/b/MatMul", "MatMul", "y", "onnx::MatMul_1")));
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> MatMulWeightNames.resolve(g));
        assertTrue(e.getMessage().contains("consumed by 2 nodes"), e.getMessage());
    }

    @Test
    void leftOperandOrOtherOpIsNotALinearWeight() {
        OnnxGraph left = new OnnxGraph(List.of(weight("onnx::MatMul_1")),
                List.of(node("/a/MatMul", "MatMul", "onnx::MatMul_1", "x")));
        OnnxGraph gemm = new OnnxGraph(List.of(weight("onnx::Gemm_1")),
                List.of(node("/a/Gemm", "Gemm", "x", "onnx::Gemm_1")));
        assertTrue(assertThrows(OnnxFormatException.class, () -> MatMulWeightNames.resolve(left)).getMessage()
                .contains("input 0 of MatMul '/a/MatMul'"));
        assertTrue(assertThrows(OnnxFormatException.class, () -> MatMulWeightNames.resolve(gemm)).getMessage()
                .contains("Gemm '/a/Gemm'"));
    }

    @Test
    void everyUnnameableInitializerIsReportedAtOnce() {
        OnnxGraph g = new OnnxGraph(List.of(weight("onnx::MatMul_1"), weight("onnx::MatMul_2")), List.of());
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> MatMulWeightNames.resolve(g));
        assertTrue(e.getMessage().contains("cannot name 2") && e.getMessage().contains("onnx::MatMul_2"), e.getMessage());
    }
}
