package org.nowag.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorInfo;

/** End to end: import the real model once, then read it back through SafetensorsFile and check it against the ONNX bytes. */
class MiniLmImporterTest {
    @TempDir static java.nio.file.Path tmp;

    private static java.nio.file.Path outDir;
    private static SafetensorsFile model;

    @BeforeAll
    static void importOnce() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        outDir = tmp.resolve("minilm");
        Path out = new Path(outDir.toUri());
        MiniLmImporter.importFromClasspath(fs, out);
        model = SafetensorsFile.open(fs, new Path(out, "model.safetensors"));
    }

    @AfterAll
    static void close() throws IOException {
        if (model != null) model.close();
    }

    private static TensorInfo info(String name) {
        TensorInfo t = model.header().tensor(name);
        assertTrue(t != null, "tensor " + name + " in model.safetensors");
        return t;
    }

    /** HF element (row, col) of a 2-D F32 tensor, read back from the written file. */
    private static float hf(String name, long row, long col) throws IOException {
        return model.readRowsAsFloat(name, row, 1)[Math.toIntExact(col)];
    }

    @Test
    void outputDirectoryHoldsExactlyTheModelFilesAndNoTempLeftovers() throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        List<String> files = Arrays.stream(fs.listStatus(new Path(outDir.toUri())))
                .map(s -> s.getPath().getName()).sorted().collect(Collectors.toList());
        assertEquals(List.of("config.json", "model.safetensors", "special_tokens_map.json", "tokenizer.json",
                "tokenizer_config.json"), files);
        assertEquals(List.of("minilm"), StagedDirectoryTest.names(tmp));
    }

    @Test
    void modelHas102TensorsBecausePositionIdsIsKeptAsI64() {
        // 101 F32 parameters + the I64 buffer embeddings.position_ids [1, 512] that the ONNX export carries.
        List<TensorInfo> tensors = model.header().tensors();
        assertEquals(102, tensors.size());
        assertEquals(101, tensors.stream().filter(t -> t.dtype() == DType.F32).count());
        TensorInfo ids = info("embeddings.position_ids");
        assertEquals(DType.I64, ids.dtype());
        assertArrayEquals(new long[] {1, 512}, ids.shape());
    }

    @Test
    void tensorsAreWrittenInStateDictOrder() {
        assertEquals(MiniLmArchitecture.tensors().stream().map(t -> t.name()).collect(Collectors.toList()),
                model.header().tensors().stream().map(TensorInfo::name).collect(Collectors.toList()));
    }

    @Test
    void dataSectionIs90265600BytesLikeTheOnnxInitializers() {
        long total = model.header().tensors().stream().mapToLong(TensorInfo::byteSize).sum();
        assertEquals(90_265_600L, total);
    }

    @Test
    void linearWeightsAreOutInPerLayer() {
        for (int k = 0; k < 6; k++) {
            String p = "encoder.layer." + k + ".";
            for (String m : List.of("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense")) {
                assertArrayEquals(new long[] {384, 384}, info(p + m + ".weight").shape(), p + m);
            }
            assertArrayEquals(new long[] {1536, 384}, info(p + "intermediate.dense.weight").shape());
            assertArrayEquals(new long[] {384, 1536}, info(p + "output.dense.weight").shape());
        }
    }

    @Test
    void onnxElementIJIsHfElementJI() throws Exception {
        // Non-square, so a missing or doubled transposition cannot pass: ONNX [384, 1536] -> HF [1536, 384].
        OnnxInitializer up = MiniLmFixture.initializer("onnx::MatMul_798");
        assertEquals(MiniLmFixture.onnxFloat(up, 300, 1200), hf("encoder.layer.0.intermediate.dense.weight", 1200, 300));
        OnnxInitializer query = MiniLmFixture.initializer("onnx::MatMul_787");
        assertEquals(MiniLmFixture.onnxFloat(query, 5, 17), hf("encoder.layer.0.attention.self.query.weight", 17, 5));
        assertTrue(MiniLmFixture.onnxFloat(query, 5, 17) != MiniLmFixture.onnxFloat(query, 17, 5),
                "the element differs from its mirror, so the check would catch an untransposed copy");
    }

    @Test
    void everyLinearWeightIsTheExactTransposeOfItsOnnxMatrix() throws Exception {
        for (MappedTensor t : MiniLmTensorMapper.map(MiniLmFixture.graph())) {
            if (!t.transposed()) continue;
            String name = t.spec().name();
            long in = t.source().dims()[0], out = t.source().dims()[1];
            float[] w = model.readRowsAsFloat(name, 0, Math.toIntExact(out));
            ByteBuffer onnx = t.source().rawData().asLittleEndianBuffer();
            for (long j = 0; j < out; j++) {
                for (long i = 0; i < in; i++) {
                    // ONNX [in, out] row-major: element (i, j) at i * out + j.
                    int expected = onnx.getInt(Math.toIntExact((i * out + j) * 4));
                    if (expected != Float.floatToRawIntBits(w[Math.toIntExact(j * in + i)])) {
                        throw new AssertionError(name + " (" + j + ", " + i + ") != ONNX (" + i + ", " + j + ")");
                    }
                }
            }
        }
    }

    @Test
    void everyOtherTensorIsAByteForByteCopy() throws Exception {
        for (MappedTensor t : MiniLmTensorMapper.map(MiniLmFixture.graph())) {
            if (t.transposed()) continue;
            ByteBuffer expected = t.source().rawData().asLittleEndianBuffer();
            byte[] actual = model.readBytes(t.spec().name(), 0, expected.remaining());
            assertEquals(expected, ByteBuffer.wrap(actual), t.spec().name());
        }
    }

    @Test
    void positionIdsAreZeroTo511() throws Exception {
        ByteBuffer ids = ByteBuffer.wrap(model.readBytes("embeddings.position_ids", 0, 512 * 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 512; i++) assertEquals(i, ids.getLong(8 * i));
    }

    @Test
    void realWeightsLookReal() throws Exception {
        assertArrayEquals(new long[] {30522, 384}, info("embeddings.word_embeddings.weight").shape());
        float[] down = model.readRowsAsFloat("encoder.layer.0.output.dense.weight", 0, 384);
        double maxAbs = 0, sumSq = 0;
        for (float v : down) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
            sumSq += (double) v * v;
        }
        // Research note: FFN-down of layer 0 has an outlier of 7.91 against a std of about 0.045.
        assertEquals(7.91, maxAbs, 0.01);
        double rms = Math.sqrt(sumSq / down.length);
        assertTrue(rms > 0.03 && rms < 0.07, "rms " + rms);
    }

    @Test
    void metadataMarksAPyTorchCheckpointAndRecordsTheSource() {
        assertEquals("pt", model.header().metadata().get("format"));
        assertEquals("759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e",
                model.header().metadata().get("source_sha256"));
    }

    @Test
    void configJsonIsABertModelConfig() throws Exception {
        MiniLmConfigTest.assertBertModelConfig(Files.readAllBytes(outDir.resolve("config.json")));
    }

    @Test
    void tokenizerConfigNamesTheBertTokenizerAndTheSpecialTokens() throws Exception {
        // transformers.js reads tokenizer_class from here and refuses the folder without the file.
        com.fasterxml.jackson.databind.JsonNode config = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(outDir.resolve("tokenizer_config.json").toFile());
        assertEquals("BertTokenizer", config.get("tokenizer_class").asText());
        assertTrue(config.get("do_lower_case").asBoolean());
        assertEquals(512, config.get("model_max_length").asInt());
        com.fasterxml.jackson.databind.JsonNode special = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(outDir.resolve("special_tokens_map.json").toFile());
        assertEquals("[CLS]", special.get("cls_token").asText());
        assertEquals("[SEP]", special.get("sep_token").asText());
        assertEquals("[PAD]", special.get("pad_token").asText());
        assertEquals("[UNK]", special.get("unk_token").asText());
        assertEquals("[MASK]", special.get("mask_token").asText());
    }

    @Test
    void tokenizerJsonIsTheResourceByteForByte() throws Exception {
        assertArrayEquals(MiniLmFixture.tokenizerBytes(), Files.readAllBytes(outDir.resolve("tokenizer.json")));
    }
}
