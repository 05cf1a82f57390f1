package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.Compressor;
import org.nowag.job.api.TensorReport;
import org.nowag.job.calib.CalibrateOptions;
import org.nowag.job.calib.Calibrator;
import org.nowag.kernels.prune.SparsityPattern;

/**
 * compress --method sparsegpt through the shared pruning path on MiniLM's layer 0, with a small real calibration
 * (SOTU 1990-1999, calibrate --full): resume after a failure, the finished-run no-op, the report's figures, and the
 * refusal when the full X^T X is missing.
 */
class SparseGptCompressTest {
    static final String LAYER0 = "encoder\\.layer\\.0\\..*\\.weight";

    @TempDir static Path tmp;
    static Path model;
    static Path stats;

    @BeforeAll
    static void calibrate() throws IOException {
        model = Fixtures.miniLm();
        stats = tmp.resolve("sotu.safetensors");
        CalibrateOptions o = new CalibrateOptions();
        o.model = model.toUri().toString();
        o.texts = Corpora.uris(Corpora.sotu(1990, 1999));
        o.samples = 4;
        o.seqLen = 64;
        o.seed = 1;
        o.full = true;
        o.out = stats.toString();
        new Calibrator(Fixtures.spark(), line -> { }).run(o);
    }

    static CompressOptions options(Path out, String calibration) {
        return new CompressOptions().model(model.toString()).out(out.toString()).method(CompressionMethod.SPARSEGPT)
                .pattern(SparsityPattern.unstructured(0.5, SparsityPattern.Group.MATRIX)).include(LAYER0)
                .calibration(calibration);
    }

    static CompressionReport compress(CompressOptions o) throws IOException {
        return new Compressor(Fixtures.spark(), line -> { }).run(o);
    }

    @Test
    void resumedRunReusesEveryPartAndWritesTheCleanRunsBytes() throws IOException {
        Path resumed = tmp.resolve("resumed");
        assertThrows(IllegalStateException.class, () -> compress(options(resumed, stats.toString()).failAfterParts(true)));
        CompressionReport second = compress(options(resumed, stats.toString()));
        assertEquals(0, second.kernelTasksRun);
        assertEquals(6, second.partsReused);
        Path clean = tmp.resolve("clean");
        CompressionReport first = compress(options(clean, stats.toString()));
        assertEquals(6, first.kernelTasksRun, "one task per matrix, never row blocks");
        java.util.Map<String, byte[]> want = Fixtures.rawTensors(clean);
        java.util.Map<String, byte[]> got = Fixtures.rawTensors(resumed);
        assertEquals(want.keySet(), got.keySet());
        for (String name : want.keySet()) assertArrayEquals(want.get(name), got.get(name), name);
        assertEquals(6, first.shardsWritten, "a task and a shard per matrix: SparseGPT's kernel is slow");
        assertTrue(Files.exists(clean.resolve("_SUCCESS")));
        assertEquals(0, compress(options(clean, stats.toString())).kernelTasksRun, "a finished run does nothing");
        for (TensorReport t : first.tensors) {
            assertEquals(1, t.blocks, t.name);
            assertEquals(0.5, t.sparsity, 1e-12, t.name);
            assertTrue(t.proxyLoss > 0 && t.proxyLoss < t.proxyEnergy, t.name + " proxy loss " + t.proxyLoss);
            assertTrue(t.dataAwareLoss > 0, t.name);
            assertNotNull(t.outputLoss, t.name);
            float[] w = Fixtures.floats(model, t.name);
            float[] h = Fixtures.floats(clean, t.name);
            for (int k = 0; k < w.length; k++) {
                assertTrue(h[k] != 0 || Float.floatToRawIntBits(h[k]) == 0, "pruned weights are +0.0");
            }
        }
        double fromFiles = OutputLosses.total(model, clean, stats);
        double reported = first.tensors.stream().mapToDouble(t -> t.outputLoss).sum();
        assertEquals(fromFiles, reported, 1e-6 * fromFiles, "report's output loss = recomputed from the written model");
        assertFalse(first.dataFree);
    }

    @Test
    void refusesStatisticsWithoutTheFullXtxAndSaysToRunCalibrateFull() throws IOException {
        Path diagOnly = tmp.resolve("diag-only.safetensors");
        Files.copy(stats, diagOnly);
        Path out = tmp.resolve("refused");
        String m = assertThrows(IllegalArgumentException.class, () -> compress(options(out, diagOnly.toString())))
                .getMessage();
        assertTrue(m.contains("diag-only.xtx.safetensors") && m.contains("calibrate") && m.contains("--full"), m);
        assertFalse(Files.exists(out), "nothing written");
        String none = assertThrows(IllegalArgumentException.class, () -> compress(options(out, null))).getMessage();
        assertTrue(none.contains("--calibration") && none.contains("--full"), none);
        assertFalse(Files.exists(out), "nothing written");
    }
}
