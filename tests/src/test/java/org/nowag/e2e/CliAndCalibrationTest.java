package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.cli.NowagCli;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.nowag.kernels.prune.PruneMethod;
import org.nowag.kernels.prune.Pruner;
import org.nowag.kernels.prune.SparsityPattern;

/** The `nowag` command line on the real model, with activation statistics given as a file. */
class CliAndCalibrationTest {
    static Path model;
    static Map<String, float[]> diagonals = new LinkedHashMap<>();

    @TempDir Path tmp;

    @BeforeAll
    static void setUp() throws IOException {
        model = Fixtures.miniLm();
        Fixtures.spark(); // the CLI finds this context and leaves it running
        ModelDirectory dir = ModelDirectory.open(model.toUri().toString(), new Configuration());
        Random random = new Random(7);
        for (TensorInfo t : dir.tensors()) {
            if (t.name().matches("encoder\\.layer\\.\\d+\\..*\\.weight") && t.shape().length == 2) {
                float[] s = new float[(int) t.cols()];
                // Heavy-tailed positive second moments, like real activations (a few outlier channels).
                for (int j = 0; j < s.length; j++) s[j] = (float) Math.exp(2 * random.nextGaussian());
                diagonals.put(t.name(), s);
            }
        }
    }

    static Path writeStats(Path file, Map<String, float[]> stats) throws IOException {
        List<TensorSpec> specs = new ArrayList<>();
        for (Map.Entry<String, float[]> e : stats.entrySet()) {
            specs.add(new TensorSpec(e.getKey(), DType.F32, new long[]{e.getValue().length}));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            SafetensorsWriter.write(out, specs, Map.of(), (spec, o) -> {
                float[] s = stats.get(spec.name());
                byte[] bytes = new byte[s.length * 4];
                FloatCodec.encode(s, 0, DType.F32, bytes, 0, s.length);
                o.write(bytes);
            });
        }
        return file;
    }

    static final class Run {
        int code;
        String out;
        String err;
    }

    static Run cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Run run = new Run();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            run.code = NowagCli.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        run.out = out.toString(StandardCharsets.UTF_8);
        run.err = err.toString(StandardCharsets.UTF_8);
        return run;
    }

    @Test
    void wanda24WithCalibrationStatisticsFollowsThemExactly() throws IOException {
        Path stats = writeStats(tmp.resolve("stats.safetensors"), diagonals);
        Path out = tmp.resolve("wanda24");
        Run run = cli("compress", "--model", model.toString(), "--out", out.toString(), "--method", "wanda",
                "--pattern", "2:4", "--calibration", stats.toString());
        assertEquals(0, run.code, run.err);
        assertTrue(run.out.contains("36 tensors compressed"), run.out);

        CompressionReport report = CompressionReport.fromJson(Files.readString(out.resolve("report.json")));
        assertFalse(report.dataFree);
        assertEquals(stats.toString(), report.calibration);
        int differFromDataFree = 0;
        for (Map.Entry<String, float[]> e : diagonals.entrySet()) {
            float[] w = Fixtures.floats(model, e.getKey());
            float[] got = Fixtures.floats(out, e.getKey());
            int cols = e.getValue().length;
            int rows = w.length / cols;
            double[] sums = new double[cols];
            NoWagNormalizer.accumulateColumnSumSquares(w, rows, cols, sums);
            float[] c = NoWagNormalizer.columnNorms(sums);
            SparsityPattern p = SparsityPattern.nOfM(2, 4);
            assertArrayEquals(Pruner.prune(PruneMethod.WANDA, p, w, rows, cols, c, e.getValue()).pruned, got, e.getKey());
            float[] dataFree = Pruner.prune(PruneMethod.WANDA, p, w, rows, cols, c, null).pruned;
            if (!java.util.Arrays.equals(dataFree, got)) differFromDataFree++;
        }
        assertEquals(diagonals.size(), differFromDataFree, "the statistics change every layer's mask");
    }

    @Test
    void statisticsThatDoNotFitTheModelAreRefusedBeforeAnythingIsWritten() throws IOException {
        Map<String, float[]> missingOne = new LinkedHashMap<>(diagonals);
        String dropped = missingOne.keySet().iterator().next();
        missingOne.remove(dropped);
        Path out = tmp.resolve("never");
        Run run = cli("compress", "--model", model.toString(), "--out", out.toString(),
                "--calibration", writeStats(tmp.resolve("missing.safetensors"), missingOne).toString());
        assertEquals(1, run.code);
        assertTrue(run.err.contains(dropped), run.err);

        Map<String, float[]> negative = new LinkedHashMap<>(diagonals);
        float[] bad = negative.get(dropped).clone();
        bad[3] = -1f;
        negative.put(dropped, bad);
        run = cli("compress", "--model", model.toString(), "--out", out.toString(),
                "--calibration", writeStats(tmp.resolve("negative.safetensors"), negative).toString());
        assertEquals(1, run.code);
        assertTrue(run.err.contains("non-negative"), run.err);
        assertFalse(Files.exists(out));
    }

    @Test
    void badArgumentsExitNonZeroWithAMessageThatSaysWhatToDo() {
        Path out = tmp.resolve("never");
        Run both = cli("compress", "--model", model.toString(), "--out", out.toString(), "--sparsity", "0.5", "--pattern", "2:4");
        assertEquals(2, both.code, "contradicting options are bad usage");
        assertTrue(both.err.contains("either --sparsity"), both.err);

        Run method = cli("compress", "--model", model.toString(), "--out", out.toString(), "--method", "gptq");
        assertEquals(2, method.code);
        assertTrue(method.err.contains("choose one of nowag-p, wanda, magnitude"), method.err);

        Run range = cli("compress", "--model", model.toString(), "--out", out.toString(), "--sparsity", "1.5");
        assertEquals(2, range.code);
        assertTrue(range.err.toLowerCase().contains("sparsity"), range.err);

        Run missing = cli("compress", "--out", out.toString());
        assertEquals(2, missing.code);
        assertTrue(missing.err.contains("--model"), missing.err);
        assertFalse(Files.exists(out));
    }

    @Test
    void inspectListsTensorsAndThePlanWithoutRunningSpark() {
        Run run = cli("inspect", "--model", model.toString(), "--pattern", "2:4", "--block-mb", "0.5");
        assertEquals(0, run.code, run.err);
        assertTrue(run.out.contains("encoder.layer.5.output.dense.weight"), run.out);
        assertTrue(run.out.contains("36 to compress"), run.out);
        assertTrue(run.out.contains("largest task:"), run.out);
        assertNotEquals(-1, run.out.indexOf("embeddings.position_ids"));
    }

    @Test
    void inspectPrintsTheArmorTaskMemoryOfTheLargestMatrix() {
        Run run = cli("inspect", "--model", model.toString(), "--method", "armor");
        assertEquals(0, run.code, run.err);
        // MiniLM's largest weights are 1536 x 384 (n = 589,824), b = 128 (the default; it divides both): 24.5 n (W,
        // W_bar, core, S-step residual and undo copy) + 6 x 8n (chunks of block products: the whole matrix is smaller
        // than a 16 MiB chunk) + 24 b (d_out + d_in) = 14,450,688 + 28,311,552 + 5,898,240 = 48,660,480 bytes = 46.41 MiB.
        assertTrue(run.out.contains("largest task: 46.4 MiB"), run.out);
        assertTrue(run.out.contains("ARMOR"), run.out);
        assertTrue(run.out.contains("with armor 2:4 in 36 tasks"), run.out);
    }
}
