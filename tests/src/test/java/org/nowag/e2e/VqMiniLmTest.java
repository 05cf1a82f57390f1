package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.vq.CodePacking;
import org.nowag.io.vq.VqTensors;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.Compressor;
import org.nowag.job.api.Decompressor;
import org.nowag.job.api.TensorReport;
import org.nowag.job.cli.NowagCli;
import org.nowag.kernels.vq.NoWagVq;
import org.nowag.kernels.vq.VqConfig;
import org.nowag.kernels.vq.VqResult;

/** compress --method nowag-vq and decompress on real MiniLM weights and a real local SparkContext. */
class VqMiniLmTest {
    /** Layer 0's six linear weights: enough to cover [384, 384], [1536, 384] and [384, 1536] shapes, fast. */
    static final String LAYER0 = "encoder\\.layer\\.0\\..*\\.weight";
    /** K = 2^(1 * 6) = 64 centroids, 6-bit codes: small enough for a quick test, same code paths as K = 4096. */
    static final VqConfig CONFIG = VqConfig.ofBits(6, 1, 15, 3);

    static Path model;
    static Map<String, byte[]> input;
    static Map<String, float[]> diagonals = new LinkedHashMap<>();

    @TempDir Path tmp;

    @BeforeAll
    static void setUp() throws IOException {
        model = Fixtures.miniLm();
        input = Fixtures.rawTensors(model);
        Random random = new Random(11);
        for (TensorInfo t : ModelDirectory.open(model.toUri().toString(), new Configuration()).tensors()) {
            if (t.name().matches("encoder\\.layer\\.\\d+\\..*\\.weight") && t.shape().length == 2) {
                float[] s = new float[(int) t.cols()];
                for (int j = 0; j < s.length; j++) s[j] = (float) Math.exp(2 * random.nextGaussian());
                diagonals.put(t.name(), s);
            }
        }
    }

    private CompressOptions options(Path out) {
        return new CompressOptions().model(model.toUri().toString()).out(out.toUri().toString())
                .method(CompressionMethod.NOWAG_VQ).include(LAYER0).vq(CONFIG);
    }

    @Test
    void vqReplacesEachWeightByCodesCodebookAndNormsEqualToTheKernelsAndDecompressGivesTheKernelsWHat() throws IOException {
        Path out = tmp.resolve("vq");
        CompressionReport report = new Compressor(Fixtures.spark(), System.err::println).run(options(out));
        assertEquals(6, report.tensorsCompressed);
        assertEquals(6, report.kernelTasksRun);
        assertNotNull(report.bitsPerWeight);

        Map<String, byte[]> output = Fixtures.rawTensors(out);
        Map<String, VqResult> kernel = new LinkedHashMap<>();
        ModelDirectory in = ModelDirectory.open(model.toUri().toString(), new Configuration());
        for (TensorInfo t : in.tensors()) {
            TensorReport tr = report.tensor(t.name());
            if (tr == null) {
                assertArrayEquals(input.get(t.name()), output.get(t.name()), t.name() + " must be copied unchanged");
                continue;
            }
            assertFalse(output.containsKey(t.name()), "the dense " + t.name() + " is replaced");
            int rows = (int) t.rows();
            int cols = (int) t.cols();
            VqResult expected = NoWagVq.quantize(Fixtures.floats(model, t.name()), rows, cols, null, CONFIG);
            kernel.put(t.name(), expected);
            int codes = rows * cols / 6;
            assertArrayEquals(CodePacking.pack(expected.codes, 6), output.get(t.name() + VqTensors.CODES),
                    t.name() + ": packed codes equal the kernel's, run on its own outside Spark");
            assertArrayEquals(f16(expected.codebook), output.get(t.name() + VqTensors.CODEBOOK));
            assertArrayEquals(f16(expected.rowNorms), output.get(t.name() + VqTensors.ROW_NORMS));
            assertArrayEquals(f16(expected.colNorms), output.get(t.name() + VqTensors.COL_NORMS));

            assertEquals(64, tr.vq.codebookSize);
            assertEquals(6, tr.vq.codeBits);
            double numel = (double) rows * cols;
            assertEquals(codes * 6 / numel, tr.vq.codeBitsPerWeight, 1e-12);
            assertEquals(64 * 6 * 16 / numel, tr.vq.codebookBitsPerWeight, 1e-12);
            assertEquals((rows + cols) * 16 / numel, tr.vq.normBitsPerWeight, 1e-12);
            assertEquals(tr.vq.codeBitsPerWeight + tr.vq.codebookBitsPerWeight + tr.vq.normBitsPerWeight,
                    tr.vq.bitsPerWeight, 1e-12);
            assertEquals(expected.proxyLoss, tr.proxyLoss, 0.0);
            assertTrue(tr.proxyLoss < tr.proxyEnergy);
            for (int i = 1; i < tr.vq.kMeansLosses.length; i++) {
                assertTrue(tr.vq.kMeansLosses[i] <= tr.vq.kMeansLosses[i - 1], t.name() + " k-means loss rose");
            }
        }

        JsonNode config = new ObjectMapper().readTree(Files.readString(out.resolve("config.json")));
        assertEquals("nowag_vq", config.get("model_type").asText(), "no loader takes it for a BERT");
        JsonNode c = config.get("quantization_config");
        assertEquals("nowag-vq", c.get("quant_method").asText());
        assertEquals("nowag-vq", c.get("method").asText());
        assertEquals(6, c.get("subvector_dim").asInt());
        assertEquals(64, c.get("codebook_size").asInt());
        assertEquals(report.bitsPerWeight, c.get("bits_per_weight").asDouble(), 1e-12);
        assertEquals("F32", c.get("tensors").get("encoder.layer.0.intermediate.dense.weight").get("dtype").asText());

        // A second run with the same arguments does nothing.
        CompressionReport again = new Compressor(Fixtures.spark(), System.err::println).run(options(out));
        assertTrue(again.alreadyComplete);
        assertEquals(0, again.kernelTasksRun);

        Path dense = tmp.resolve("dense");
        assertEquals(6, new Decompressor(Fixtures.spark(), System.err::println).run(out.toUri().toString(),
                dense.toUri().toString(), 5_000_000_000L));
        Map<String, byte[]> decoded = Fixtures.rawTensors(dense);
        assertEquals(input.keySet(), decoded.keySet(), "the dense model has exactly the original tensors");
        for (TensorInfo t : in.tensors()) {
            if (report.tensor(t.name()) == null) {
                assertArrayEquals(input.get(t.name()), decoded.get(t.name()), t.name());
                continue;
            }
            VqResult expected = kernel.get(t.name());
            float[] wHat = expected.wHat();
            byte[] bytes = new byte[wHat.length * 4];
            FloatCodec.encode(wHat, 0, DType.F32, bytes, 0, wHat.length);
            assertArrayEquals(bytes, decoded.get(t.name()), t.name() + ": decompress(compress(W)) equals the kernel's W_hat");
            assertNotEquals(0, expected.dataAwareLoss, "W_hat is an approximation, not a copy");
        }
        JsonNode denseConfig = new ObjectMapper().readTree(Files.readString(dense.resolve("config.json")));
        assertFalse(denseConfig.has("compression") || denseConfig.has("quantization_config"), "no longer compressed");
        assertEquals("bert", denseConfig.get("model_type").asText(), "the base's model_type is back");
        assertTrue(Files.exists(dense.resolve("tokenizer.json")));
        assertEquals(0, new Decompressor(Fixtures.spark(), System.err::println).run(out.toUri().toString(),
                dense.toUri().toString(), 5_000_000_000L), "a finished decompression is not redone");
    }

    @Test
    void cliRunsVqWithCalibrationStatisticsAndTheStatisticsChangeTheResult() throws IOException {
        Path stats = CliAndCalibrationTest.writeStats(tmp.resolve("stats.safetensors"), diagonals);
        Path withStats = tmp.resolve("vq-calibrated");
        Path dataFree = tmp.resolve("vq-free");
        String[] common = {"--model", model.toString(), "--method", "nowag-vq", "--include",
                "encoder\\.layer\\.1\\.attention\\.self\\.query\\.weight", "--vq-dim", "6", "--vq-bits", "1",
                "--vq-iters", "10", "--seed", "5"};
        assertEquals(0, NowagCli.run(concat(common, "--out", withStats.toString(), "--calibration", stats.toString())));
        assertEquals(0, NowagCli.run(concat(common, "--out", dataFree.toString())));
        CompressionReport a = CompressionReport.fromJson(Files.readString(withStats.resolve("report.json")));
        CompressionReport b = CompressionReport.fromJson(Files.readString(dataFree.resolve("report.json")));
        assertFalse(a.dataFree);
        assertTrue(b.dataFree);
        String codes = "encoder.layer.1.attention.self.query.weight" + VqTensors.CODES;
        assertFalse(java.util.Arrays.equals(Fixtures.rawTensors(withStats).get(codes), Fixtures.rawTensors(dataFree).get(codes)),
                "activation weights change the clustering");
        assertEquals(1.0 + 64 * 6 * 16 / (384.0 * 384) + 2 * 384 * 16 / (384.0 * 384), a.bitsPerWeight, 1e-12);
    }

    @Test
    void pruningFlagsWithNowagVqAreRefused() {
        assertEquals(2, NowagCli.run("compress", "--model", model.toString(), "--out", tmp.resolve("x").toString(),
                "--method", "nowag-vq", "--sparsity", "0.5"));
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void decompressRefusesAModelThatIsNotVq() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Decompressor(Fixtures.spark(), null).run(model.toUri().toString(),
                        tmp.resolve("d").toUri().toString(), 5_000_000_000L));
        assertTrue(e.getMessage().contains("declares no NoWag-VQ, ARMOR or RTN format"), e.getMessage());
    }

    private static byte[] f16(float[] v) {
        byte[] b = new byte[v.length * 2];
        FloatCodec.encode(v, 0, DType.F16, b, 0, v.length);
        return b;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length + 1];
        out[0] = "compress";
        System.arraycopy(a, 0, out, 1, a.length);
        System.arraycopy(b, 0, out, 1 + a.length, b.length);
        return out;
    }
}
