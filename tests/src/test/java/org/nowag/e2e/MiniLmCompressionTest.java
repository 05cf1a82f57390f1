package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.Compressor;
import org.nowag.job.api.TensorReport;
import org.nowag.job.commit.ShardRecord;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.nowag.kernels.prune.PruneMethod;
import org.nowag.kernels.prune.Pruner;
import org.nowag.kernels.prune.SparsityPattern;

/** The first vertical slice on real MiniLM weights and a real local SparkSession. */
class MiniLmCompressionTest {
    static final int LINEAR_WEIGHTS = 36;
    static Path model;
    static Map<String, byte[]> input;

    @TempDir Path tmp;

    @BeforeAll
    static void importModel() throws IOException {
        model = Fixtures.miniLm();
        input = Fixtures.rawTensors(model);
    }

    private CompressionReport compress(CompressOptions opts) throws IOException {
        return new Compressor(Fixtures.spark(), System.err::println).run(opts);
    }

    private CompressOptions options(Path out, CompressionMethod method, SparsityPattern pattern) {
        return new CompressOptions().model(model.toUri().toString()).out(out.toUri().toString())
                .method(method).pattern(pattern);
    }

    @Test
    void nowagP50PrunesEveryLinearWeightExactlyAndCopiesEverythingElseByteForByte() throws IOException {
        Path out = tmp.resolve("p50");
        SparsityPattern p50 = SparsityPattern.unstructured(0.5, SparsityPattern.Group.MATRIX);
        CompressionReport report = compress(options(out, CompressionMethod.NOWAG_P, p50));

        assertEquals(LINEAR_WEIGHTS, report.tensorsCompressed);
        assertTrue(report.dataFree);
        assertTrue(report.calibration.contains("data-free"));
        Map<String, byte[]> output = Fixtures.rawTensors(out);
        assertEquals(input.keySet(), output.keySet(), "the output holds exactly the input's tensors");
        ModelDirectory outModel = ModelDirectory.open(out.toUri().toString(), new Configuration());
        int compressed = 0;
        for (TensorInfo t : outModel.tensors()) {
            TensorReport tr = report.tensor(t.name());
            if (tr == null) {
                assertArrayEquals(input.get(t.name()), output.get(t.name()), t.name() + " must be copied unchanged");
                continue;
            }
            compressed++;
            float[] before = Fixtures.floats(model, t.name());
            float[] after = Fixtures.floats(out, t.name());
            int rows = (int) t.rows();
            int cols = (int) t.cols();
            long expectedKept = Math.round(0.5 * before.length);
            long nonZeroIn = 0;
            long nonZeroOut = 0;
            for (int i = 0; i < before.length; i++) {
                if (before[i] != 0) nonZeroIn++;
                if (after[i] != 0) {
                    nonZeroOut++;
                    assertEquals(Float.floatToRawIntBits(before[i]), Float.floatToRawIntBits(after[i]),
                            t.name() + ": a kept weight keeps its original value");
                }
            }
            assertEquals(before.length, nonZeroIn, "precondition: real MiniLM weights hold no exact zeros");
            assertEquals(expectedKept, nonZeroOut, t.name() + " kept count");
            assertEquals(expectedKept, tr.kept);
            assertEquals(0.5, tr.sparsity, 1e-12);
            // The job's output is exactly what the kernel gives on the whole matrix.
            double[] sums = new double[cols];
            NoWagNormalizer.accumulateColumnSumSquares(before, rows, cols, sums);
            float[] expected = Pruner.prune(PruneMethod.NOWAG_P, p50, before, rows, cols,
                    NoWagNormalizer.columnNorms(sums), null).pruned;
            assertArrayEquals(expected, after, t.name());
            assertTrue(tr.proxyLoss > 0 && tr.proxyLoss < tr.proxyEnergy, t.name() + " proxy loss in (0, energy)");
        }
        assertEquals(LINEAR_WEIGHTS, compressed);

        JsonNode config = new ObjectMapper().readTree(Files.readString(out.resolve("config.json")));
        assertFalse(config.has("compression"), "no private block: a standard dense model");
        assertEquals("dense", config.path("sparsity_config").path("format").asText());
        assertEquals(0.5, config.path("sparsity_config").path("global_sparsity").asDouble(), 1e-9);
        assertEquals(LINEAR_WEIGHTS, config.path("sparsity_config").path("targets").size());
        assertEquals("bert", config.path("model_type").asText());
        JsonNode history = new ObjectMapper().readTree(Files.readString(out.resolve("nowag_provenance.json"))).get("history");
        assertEquals("nowag-p", history.get(history.size() - 1).path("method").asText());
        assertTrue(Files.readString(out.resolve("README.md")).startsWith("---\n"), "a model card");
        assertArrayEquals(Files.readAllBytes(model.resolve("tokenizer.json")), Files.readAllBytes(out.resolve("tokenizer.json")));
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertFalse(Files.exists(out.resolve("_staging")), "staging is removed once the output is published");
        CompressionReport onDisk = CompressionReport.fromJson(Files.readString(out.resolve("report.json")));
        assertEquals(LINEAR_WEIGHTS, onDisk.tensors.size());
    }

    @Test
    void secondRunWithTheSameArgumentsDoesNoKernelWorkAndLeavesTheOutputUntouched() throws IOException {
        Path out = tmp.resolve("again");
        SparsityPattern p = SparsityPattern.nOfM(2, 4);
        CompressionReport first = compress(options(out, CompressionMethod.WANDA, p));
        assertEquals(LINEAR_WEIGHTS, first.kernelTasksRun);
        Map<String, byte[]> firstBytes = Fixtures.rawTensors(out);
        long modified = Files.getLastModifiedTime(out.resolve("model.safetensors")).toMillis();

        CompressionReport second = compress(options(out, CompressionMethod.WANDA, p));
        assertTrue(second.alreadyComplete);
        assertEquals(0, second.kernelTasksRun);
        assertEquals(0, second.shardsWritten);
        assertEquals(modified, Files.getLastModifiedTime(out.resolve("model.safetensors")).toMillis());
        Map<String, byte[]> secondBytes = Fixtures.rawTensors(out);
        for (String name : firstBytes.keySet()) assertArrayEquals(firstBytes.get(name), secondBytes.get(name), name);
    }

    @Test
    void nOfMKeepsExactlyNInEveryGroupOfMInputs() throws IOException {
        Path out = tmp.resolve("24");
        CompressionReport report = compress(options(out, CompressionMethod.NOWAG_P, SparsityPattern.nOfM(2, 4)));
        for (TensorReport tr : report.tensors) {
            float[] w = Fixtures.floats(out, tr.name);
            int cols = (int) tr.shape[1];
            for (int g = 0; g < w.length; g += 4) {
                int kept = 0;
                for (int k = 0; k < 4; k++) if (w[g + k] != 0) kept++;
                assertEquals(2, kept, tr.name + " group at " + g + " (row " + g / cols + ")");
            }
            assertTrue(tr.compact24BitsPerWeight != null && Math.abs(tr.compact24BitsPerWeight - 9.0) < 1e-9);
        }
    }

    @Test
    void rowBlocksGiveTheSameOutputAsWholeMatricesAndAResumeRunsOnlyMissingShards() throws IOException {
        SparsityPattern p = SparsityPattern.nOfM(2, 4);
        Path whole = tmp.resolve("whole");
        compress(options(whole, CompressionMethod.NOWAG_P, p));

        Path blocked = tmp.resolve("blocked");
        // 400 KiB blocks: every MiniLM weight splits into 2 to 6 row blocks (120 in all), one shard task each.
        CompressOptions small = options(blocked, CompressionMethod.NOWAG_P, p).blockBytes(400 << 10);
        IllegalStateException crash = assertThrows(IllegalStateException.class,
                () -> compress(options(blocked, CompressionMethod.NOWAG_P, p).blockBytes(400 << 10).failAfterParts(true)));
        assertTrue(crash.getMessage().contains("fault injection"));
        // As if the driver had died before one shard's task finished: its record is gone.
        Path records = blocked.resolve("_staging").resolve("shards");
        ShardRecord lost = null;
        Path lostRecord = null;
        try (var files = Files.list(records)) {
            for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".json")).sorted()::iterator) {
                ShardRecord r = ShardRecord.fromJson(Files.readString(f));
                if (r.blocksComputed > 0) {
                    lost = r;
                    lostRecord = f;
                    break;
                }
            }
        }
        assertTrue(lost != null, "a committed shard with a compressed tensor");
        Files.delete(lostRecord);

        CompressionReport resumed = compress(small);
        assertEquals(1, resumed.shardsWritten, "only the shard without a record is written again");
        assertEquals(lost.blocksComputed, resumed.kernelTasksRun, "only that shard's blocks are recomputed");
        assertEquals(120, resumed.kernelTasksRun + resumed.partsReused, "every block counted once");
        Map<String, byte[]> a = Fixtures.rawTensors(whole);
        Map<String, byte[]> b = Fixtures.rawTensors(blocked);
        for (String name : a.keySet()) assertArrayEquals(a.get(name), b.get(name), name);
    }

    @Test
    void wholeMatrixSelectionSplitInRowBlocksEqualsOneBlockPerMatrix() throws IOException {
        // Kernels test every method this way (BlockedThresholdTest); here the Spark stages, on NoWag-P's default.
        for (CompressionMethod method : new CompressionMethod[]{CompressionMethod.NOWAG_P}) {
            SparsityPattern p = SparsityPattern.unstructured(0.5, SparsityPattern.Group.MATRIX);
            Path whole = tmp.resolve(method + "-whole");
            CompressionReport one = compress(options(whole, method, p));
            assertEquals(LINEAR_WEIGHTS, one.kernelTasksRun, "default blocks hold a whole MiniLM matrix");
            Path blocked = tmp.resolve(method + "-blocked");
            // 400 KiB blocks: every matrix is split, so its top-k comes from the histogram passes.
            CompressionReport split = compress(options(blocked, method, p).blockBytes(400 << 10));
            assertTrue(split.kernelTasksRun > LINEAR_WEIGHTS);
            Map<String, byte[]> a = Fixtures.rawTensors(whole);
            Map<String, byte[]> b = Fixtures.rawTensors(blocked);
            for (String name : a.keySet()) assertArrayEquals(a.get(name), b.get(name), method + " " + name);
            for (TensorReport t : split.tensors) {
                assertEquals(p.keptPerGroup(t.numel), t.kept, t.name);
                assertEquals(one.tensor(t.name).proxyLoss, t.proxyLoss, 1e-9 * t.proxyEnergy, t.name);
            }
        }
    }

    @Test
    void badRequestsFailClearlyAndWriteNothing() {
        Path out = tmp.resolve("never");
        IllegalArgumentException nm = assertThrows(IllegalArgumentException.class,
                () -> compress(options(out, CompressionMethod.NOWAG_P, SparsityPattern.nOfM(3, 7))));
        assertTrue(nm.getMessage().contains("divisible"), nm.getMessage());
        assertTrue(nm.getMessage().contains("encoder.layer."), "names the tensor: " + nm.getMessage());
        assertFalse(Files.exists(out));

        IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
                () -> compress(options(model, CompressionMethod.NOWAG_P, SparsityPattern.nOfM(2, 4))));
        assertTrue(same.getMessage().contains("overlaps the input"), same.getMessage());

        Exception missing = assertThrows(IOException.class, () -> compress(new CompressOptions()
                .model(tmp.resolve("no-such-model").toUri().toString()).out(out.toUri().toString())));
        assertTrue(missing.getMessage().contains("no-such-model"), missing.getMessage());
        assertFalse(Files.exists(out));
    }
}
