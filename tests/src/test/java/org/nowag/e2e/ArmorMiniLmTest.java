package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.armor.ArmorTensors;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.vq.CodePacking;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.Compressor;
import org.nowag.job.api.Decompressor;
import org.nowag.job.api.TensorReport;
import org.nowag.job.cli.NowagCli;
import org.nowag.kernels.armor.Armor;
import org.nowag.kernels.armor.ArmorConfig;
import org.nowag.kernels.armor.ArmorResult;
import org.nowag.kernels.prune.SparsityPattern;

/** compress --method armor and decompress on real MiniLM weights and a real local SparkContext. */
class ArmorMiniLmTest {
    static final String LAYER0 = VqMiniLmTest.LAYER0;
    static final ArmorConfig CONFIG = ArmorConfig.of(32, 2, true);

    static Path model;
    static Map<String, byte[]> input;

    @TempDir Path tmp;

    @BeforeAll
    static void setUp() throws IOException {
        model = Fixtures.miniLm();
        input = Fixtures.rawTensors(model);
    }

    @Test
    void armorWritesTheKernelsWHatAndPartsReportsEveryIterationAndDecompressRebuildsWHat() throws IOException {
        Path out = tmp.resolve("armor");
        CompressOptions opts = new CompressOptions().model(model.toUri().toString()).out(out.toUri().toString())
                .method(CompressionMethod.ARMOR).pattern(SparsityPattern.nOfM(2, 4)).include(LAYER0).armor(CONFIG);
        CompressionReport report = new Compressor(Fixtures.spark(), System.err::println).run(opts);
        assertEquals(6, report.tensorsCompressed);
        assertEquals(6, report.kernelTasksRun);
        assertNotNull(report.bitsPerWeight);

        Map<String, byte[]> output = Fixtures.rawTensors(out);
        ModelDirectory in = ModelDirectory.open(model.toUri().toString(), new Configuration());
        for (TensorInfo t : in.tensors()) {
            TensorReport tr = report.tensor(t.name());
            if (tr == null) {
                assertArrayEquals(input.get(t.name()), output.get(t.name()), t.name() + " must be copied unchanged");
                continue;
            }
            int rows = (int) t.rows();
            int cols = (int) t.cols();
            ArmorResult expected = Armor.compress(Fixtures.floats(model, t.name()), rows, cols, null, CONFIG, null);
            assertArrayEquals(f32(expected.wHat()), output.get(t.name()),
                    t.name() + ": the dense weight is the kernel's W_hat, run on its own outside Spark");
            assertArrayEquals(f16(expected.aBlocks), output.get(t.name() + ArmorTensors.A_BLOCKS));
            assertArrayEquals(f16(expected.bBlocks), output.get(t.name() + ArmorTensors.B_BLOCKS));
            assertArrayEquals(f16(expected.values), output.get(t.name() + ArmorTensors.VALUES));
            assertArrayEquals(CodePacking.pack(expected.positions, 2), output.get(t.name() + ArmorTensors.POSITIONS));
            assertArrayEquals(f16(expected.rowNorms), output.get(t.name() + ArmorTensors.ROW_NORMS));
            assertArrayEquals(f16(expected.colNorms), output.get(t.name() + ArmorTensors.COL_NORMS));

            assertEquals(32, tr.armor.blockSize);
            assertEquals(2, tr.armor.iterations);
            assertArrayEquals(expected.losses, tr.armor.losses, 0.0);
            for (int i = 1; i < tr.armor.losses.length; i++) {
                assertTrue(tr.armor.losses[i] <= tr.armor.losses[i - 1], t.name() + " loss rose at iteration " + i);
            }
            assertTrue(tr.armor.endLoss < tr.armor.startLoss, t.name());
            assertEquals(expected.proxyLoss, tr.proxyLoss, 0.0);
            double numel = (double) rows * cols;
            assertEquals(9.0, tr.armor.coreBitsPerWeight, 1e-12, "16-bit value + 2-bit position per kept weight, half kept");
            assertEquals(16.0 * 32 * (rows + cols) / numel, tr.armor.wrapperBitsPerWeight, 1e-12);
            assertEquals(16.0 * (rows + cols) / numel, tr.armor.normBitsPerWeight, 1e-12);
            assertTrue(tr.seconds > 0);
        }
        JsonNode rawConfig = new ObjectMapper().readTree(Files.readString(out.resolve("config.json")));
        assertEquals("nowag_armor", rawConfig.get("model_type").asText(), "no loader takes it for a BERT");
        JsonNode c = rawConfig.get("quantization_config");
        assertEquals("armor", c.get("quant_method").asText());
        assertEquals(1, c.get("format_version").asInt());
        assertEquals("nowag-armor-v1", c.get("format").asText());
        assertEquals(32, c.get("block_size").asInt());

        CompressionReport again = new Compressor(Fixtures.spark(), System.err::println).run(opts);
        assertTrue(again.alreadyComplete, "a second run with the same arguments does nothing");

        Path dense = tmp.resolve("dense");
        assertEquals(6, new Decompressor(Fixtures.spark(), System.err::println).run(out.toUri().toString(),
                dense.toUri().toString(), 5_000_000_000L));
        Map<String, byte[]> decoded = Fixtures.rawTensors(dense);
        assertEquals(input.keySet(), decoded.keySet(), "the dense model has exactly the original tensors");
        for (TensorInfo t : in.tensors()) {
            byte[] expected = report.tensor(t.name()) == null ? input.get(t.name()) : output.get(t.name());
            assertArrayEquals(expected, decoded.get(t.name()), t.name() + ": decompress rebuilds the W_hat compress wrote");
        }
        JsonNode denseConfig = new ObjectMapper().readTree(Files.readString(dense.resolve("config.json")));
        assertFalse(denseConfig.has("compression") || denseConfig.has("quantization_config"));
        assertEquals(new ObjectMapper().readTree(Files.readString(model.resolve("config.json"))), denseConfig,
                "decompress gives back the base's config");
    }

    @Test
    void aRunStoppedAfterItsPartsResumesFromThemWithoutRerunningTheKernelAndReportsTheSameLosses() throws IOException {
        String query = "encoder.layer.0.attention.self.query.weight";
        Path out = tmp.resolve("resume");
        ArmorConfig one = ArmorConfig.of(32, 1, true);
        CompressOptions opts = new CompressOptions().model(model.toUri().toString()).out(out.toUri().toString())
                .method(CompressionMethod.ARMOR).pattern(SparsityPattern.nOfM(2, 4)).include(query.replace(".", "\\."))
                .armor(one);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new Compressor(Fixtures.spark(), null).run(opts.failAfterParts(true)));
        CompressionReport resumed = new Compressor(Fixtures.spark(), null).run(opts.failAfterParts(false));
        assertEquals(0, resumed.kernelTasksRun);
        assertEquals(1, resumed.partsReused);
        ArmorResult expected = Armor.compress(Fixtures.floats(model, query), 384, 384, null, one, null);
        assertArrayEquals(expected.losses, resumed.tensor(query).armor.losses, 0.0, "losses read back from the part's header");
        assertArrayEquals(f32(expected.wHat()), Fixtures.rawTensors(out).get(query));
    }

    @Test
    void cliRefusesABlockSizeThatIsNotAMultipleOf4AndPruningFlagsBeforeWritingAnything() {
        String[] common = {"compress", "--model", model.toString(), "--method", "armor", "--include", LAYER0};
        // A size that does not divide 384 is no longer refused: it falls back to the largest multiple of 4 below it
        // that tiles the matrix (ArmorConfig.blockSizeFor, tested in ArmorPropertiesTest).
        assertEquals(2, NowagCli.run(concat(common, "--out", tmp.resolve("b").toString(), "--armor-block", "30")),
                "not a multiple of 4 for any model: bad usage");
        assertFalse(Files.exists(tmp.resolve("b")));
        assertEquals(2, NowagCli.run(concat(common, "--out", tmp.resolve("c").toString(), "--sparsity", "0.5")));
        assertFalse(Files.exists(tmp.resolve("c")));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] f16(float[] v) {
        byte[] b = new byte[v.length * 2];
        FloatCodec.encode(v, 0, DType.F16, b, 0, v.length);
        return b;
    }

    private static byte[] f32(float[] v) {
        byte[] b = new byte[v.length * 4];
        FloatCodec.encode(v, 0, DType.F32, b, 0, v.length);
        return b;
    }
}
