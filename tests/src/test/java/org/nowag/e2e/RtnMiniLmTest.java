package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.rtn.RtnTensors;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.Compressor;
import org.nowag.job.api.Decompressor;
import org.nowag.job.api.TensorReport;
import org.nowag.job.cli.NowagCli;
import org.nowag.kernels.quant.RoundToNearest;
import org.nowag.kernels.quant.RtnConfig;
import org.nowag.kernels.quant.RtnResult;

/**
 * compress --method rtn and decompress on real MiniLM weights (F32) and a real local SparkContext: the parts are the
 * kernel's, decompress gives back exactly the kernel's dequantized weights, the folder declares itself.
 */
class RtnMiniLmTest {
    /** 3 bits in groups of 100: 384 and 1536 inputs leave a shorter last group (84 and 36) in every row. */
    static final RtnConfig CONFIG = RtnConfig.of(3, 100);

    @TempDir Path tmp;

    @Test
    void rtnStoresTheKernelsCodesScalesAndZerosAndDecompressGivesBackItsDequantizedWeights() throws IOException {
        Path model = Fixtures.miniLm();
        Map<String, byte[]> input = Fixtures.rawTensors(model);
        Path out = tmp.resolve("rtn");
        CompressOptions opts = new CompressOptions().model(model.toUri().toString()).out(out.toUri().toString())
                .method(CompressionMethod.RTN).include(VqMiniLmTest.LAYER0).rtn(CONFIG);
        CompressionReport report = new Compressor(Fixtures.spark(), System.err::println).run(opts);
        assertEquals(6, report.tensorsCompressed);

        Map<String, byte[]> output = Fixtures.rawTensors(out);
        ModelDirectory in = ModelDirectory.open(model.toUri().toString(), new Configuration());
        Path dense = tmp.resolve("dense");
        assertEquals(6, new Decompressor(Fixtures.spark(), System.err::println).run(out.toUri().toString(),
                dense.toUri().toString(), 5_000_000_000L));
        Map<String, byte[]> decoded = Fixtures.rawTensors(dense);
        assertEquals(input.keySet(), decoded.keySet(), "the dense model has exactly the original tensors");
        for (TensorInfo t : in.tensors()) {
            TensorReport tr = report.tensor(t.name());
            if (tr == null) {
                assertArrayEquals(input.get(t.name()), output.get(t.name()), t.name() + " copied unchanged");
                assertArrayEquals(input.get(t.name()), decoded.get(t.name()), t.name() + " copied unchanged");
                continue;
            }
            assertFalse(output.containsKey(t.name()), t.name() + ": the dense weight is replaced by its parts");
            int rows = (int) t.rows();
            int cols = (int) t.cols();
            RtnResult expected = RoundToNearest.quantize(Fixtures.floats(model, t.name()), rows, cols, CONFIG);
            RtnTensors parts = new RtnTensors(rows, cols, 3, 100, expected.codes, expected.scales, expected.zeros);
            for (String suffix : RtnTensors.SUFFIXES) {
                assertArrayEquals(parts.bytes(t.name() + suffix), output.get(t.name() + suffix), t.name() + suffix + " is the kernel's");
            }
            float[] wHat = expected.dequantize();
            byte[] f32 = new byte[wHat.length * 4];
            FloatCodec.encode(wHat, 0, DType.F32, f32, 0, wHat.length);
            assertArrayEquals(f32, decoded.get(t.name()), t.name() + ": decompress gives the kernel's dequantized weights");
            // bits as stored (3-bit codes of 384 or 1536 inputs fill whole bytes, so the kernel's count holds exactly)
            assertEquals(CONFIG.bitsPerWeight(rows, cols), tr.bitsPerWeight, 1e-12, t.name());
            assertEquals(3.0, tr.rtn.codeBitsPerWeight, 1e-12);
            assertEquals(CONFIG.groupsPerRow(cols), tr.rtn.groupsPerRow);
            assertTrue(tr.proxyLossRelative > 0 && tr.proxyLossRelative < 0.2, t.name() + ": " + tr.proxyLossRelative);
        }
        JsonNode raw = new ObjectMapper().readTree(Files.readString(out.resolve("config.json")));
        assertEquals("nowag_rtn", raw.get("model_type").asText(), "no loader takes it for a BERT");
        JsonNode q = raw.get("quantization_config");
        assertEquals("rtn", q.get("quant_method").asText());
        assertEquals("nowag-rtn-v1", q.get("format").asText());
        assertEquals(3, q.get("bits").asInt());
        assertEquals(100, q.get("group_size").asInt());
        assertEquals(new ObjectMapper().readTree(Files.readString(model.resolve("config.json"))),
                new ObjectMapper().readTree(Files.readString(dense.resolve("config.json"))), "decompress gives back the base's config");

        // The CLI: bits outside 2..8, a group below 1 and pruning flags are bad usage, refused before anything is written.
        String[] common = {"compress", "--model", model.toString(), "--method", "rtn", "--include", VqMiniLmTest.LAYER0, "--out"};
        assertEquals(2, NowagCli.run(concat(common, tmp.resolve("b").toString(), "--rtn-bits", "9")));
        assertEquals(2, NowagCli.run(concat(common, tmp.resolve("c").toString(), "--sparsity", "0.5")));
        assertEquals(2, NowagCli.run(concat(common, tmp.resolve("g").toString(), "--rtn-group", "0")));
        assertFalse(Files.exists(tmp.resolve("b")) || Files.exists(tmp.resolve("c")) || Files.exists(tmp.resolve("g")));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
