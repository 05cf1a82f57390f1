package org.nowag.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The parser on the real 90 MB ONNX file; expected numbers are from the research note (models-and-data.md §3). */
class MiniLmOnnxFileTest {

    @Test
    void fileHas102InitializersAnd637NodesOfWhich48AreMatMul() throws Exception {
        OnnxGraph g = MiniLmFixture.graph();
        assertEquals(102, g.initializers().size());
        assertEquals(637, g.nodes().size());
        assertEquals(48, g.nodes().stream().filter(n -> n.opType().equals("MatMul")).count());
        assertEquals(6, g.nodes().stream().filter(n -> n.opType().equals("Erf")).count());
    }

    @Test
    void initializerBytesSumTo90265600() throws Exception {
        assertEquals(90_265_600L, MiniLmFixture.graph().totalInitializerBytes());
    }

    @Test
    void elementsAre22565376FloatsAnd512Int64s() throws Exception {
        long floats = 0, int64s = 0;
        for (OnnxInitializer t : MiniLmFixture.graph().initializers()) {
            if (t.dataType() == OnnxDataTypes.FLOAT) floats += t.numel();
            else if (t.dataType() == OnnxDataTypes.INT64) int64s += t.numel();
        }
        assertEquals(22_565_376L, floats);
        assertEquals(512L, int64s);
    }

    @Test
    void wordEmbeddingsAreAViewAtTheirOffsetInTheFile() throws Exception {
        OnnxInitializer emb = MiniLmFixture.initializer("embeddings.word_embeddings.weight");
        assertArrayEquals(new long[] {30522, 384}, emb.dims());
        assertEquals(121_196, emb.rawData().offset());
    }

    @Test
    void exactly36InitializersAreAnonymousMatMulConstants() throws Exception {
        long anonymous = MiniLmFixture.graph().initializers().stream()
                .filter(t -> MatMulWeightNames.isAnonymous(t.name())).count();
        assertEquals(36, anonymous);
        assertTrue(MiniLmFixture.graph().initializers().stream()
                .filter(t -> MatMulWeightNames.isAnonymous(t.name()))
                .allMatch(t -> t.name().startsWith("onnx::MatMul_")));
    }
}
