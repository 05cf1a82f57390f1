package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.calib.CalibrateOptions;
import org.nowag.job.calib.CalibrationStats;
import org.nowag.job.calib.Calibrator;
import org.nowag.job.cli.NowagCli;
import org.nowag.kernels.model.GramAccumulator;

/** `nowag calibrate` on the real MiniLM with real text (State of the Union 1790-1999), on the shared Spark context. */
class CalibrateCommandTest {
    static Path model;
    static List<String> text;

    @TempDir Path tmp;

    @BeforeAll
    static void setUp() throws IOException {
        model = Fixtures.miniLm();
        Fixtures.spark();
        // A slice of the calibration years keeps the driver's tokenization short; the window draw is the same code.
        text = Corpora.uris(Corpora.sotu(1990, 1999));
    }

    /** Calibrates into a fresh file and loads it; the result's token count is checked against the windows. */
    static CalibrationStats calibrate(int partitions, int samples, int seqLen, boolean full) throws IOException {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "calib");
        CalibrateOptions o = new CalibrateOptions();
        o.out = dir.resolve("stats.safetensors").toString();
        o.model = model.toUri().toString();
        o.texts = text;
        o.samples = samples;
        o.seqLen = seqLen;
        o.seed = 42;
        o.partitions = partitions;
        o.full = full;
        Calibrator.Result r = new Calibrator(Fixtures.spark(), line -> { }).run(o);
        assertEquals((long) samples * seqLen, r.tokens);
        return CalibrationStats.load(o.out, new Configuration());
    }

    @Test
    void statisticsWithOneTwoAndFourPartitionsAgree() throws IOException {
        CalibrationStats one = calibrate(1, 8, 64, false);
        for (int parts : new int[] {2, 4}) {
            CalibrationStats other = calibrate(parts, 8, 64, false);
            assertEquals(one.names(), other.names());
            for (String name : one.names()) {
                float[] a = one.diagonal(name);
                float[] b = other.diagonal(name);
                for (int j = 0; j < a.length; j++) {
                    assertEquals(a[j], b[j], 1e-4 * Math.abs(a[j]) + 1e-6, name + "[" + j + "] with " + parts + " partitions");
                }
            }
        }
    }

    @Test
    void everyLinearWeightGetsAFiniteNonNegativeVectorOfItsInputWidthAndCompressAcceptsTheFile() throws IOException {
        Path stats = tmp.resolve("stats.safetensors");
        int code = NowagCli.run("calibrate", "--model", model.toString(), "--text", text.get(0), "--text", text.get(1),
                "--samples", "4", "--seq-len", "64", "--seed", "1", "--out", stats.toString(), "--partitions", "2");
        assertEquals(0, code);
        ModelDirectory dir = ModelDirectory.open(model.toUri().toString(), new Configuration());
        int linear = 0;
        try (SafetensorsFile f = SafetensorsFile.open(FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(stats.toUri()))) {
            for (TensorInfo t : dir.tensors()) {
                if (!t.name().matches("encoder\\.layer\\.\\d+\\..*\\.weight") || t.shape().length != 2) continue;
                linear++;
                TensorInfo s = f.header().tensor(t.name());
                assertNotNull(s, "statistics for " + t.name());
                assertEquals(1, s.shape().length);
                assertEquals(t.cols(), s.shape()[0], t.name());
                float[] v = f.readRowsAsFloat(t.name(), 0, Math.toIntExact(s.rows()));
                double sum = 0;
                for (float x : v) {
                    assertTrue(Float.isFinite(x) && x >= 0, t.name() + " holds " + x);
                    sum += x;
                }
                assertTrue(sum > 0, t.name() + " saw no activation");
            }
            assertEquals(linear, f.header().tensors().size(), "one vector per linear weight, nothing else");
        }
        assertEquals(36, linear, "MiniLM: 6 layers x 6 linear weights");

        Path out = tmp.resolve("pruned");
        assertEquals(0, NowagCli.run("compress", "--model", model.toString(), "--out", out.toString(),
                "--method", "wanda", "--sparsity", "0.5", "--calibration", stats.toString()));
        String report = Files.readString(out.resolve("report.json"));
        assertTrue(report.contains("\"dataFree\" : false") || report.contains("\"dataFree\":false"), report.substring(0, 400));
    }

    @Test
    void fullXtxIsWrittenBesideTheDiagonalAndItsDiagonalMatches() throws IOException {
        Path stats = tmp.resolve("s.safetensors");
        assertEquals(0, NowagCli.run("calibrate", "--model", model.toString(), "--text", text.get(2),
                "--samples", "2", "--seq-len", "32", "--out", stats.toString(), "--full"));
        Path full = tmp.resolve("s.xtx.safetensors");
        assertTrue(Files.exists(full));
        FileSystem fs = FileSystem.getLocal(new Configuration());
        String name = "encoder.layer.0.attention.self.query.weight";
        try (SafetensorsFile d = SafetensorsFile.open(fs, new org.apache.hadoop.fs.Path(stats.toUri()));
             SafetensorsFile x = SafetensorsFile.open(fs, new org.apache.hadoop.fs.Path(full.toUri()))) {
            float[] diag = d.readRowsAsFloat(name, 0, 384);
            float[] xtx = x.readRowsAsFloat(name, 0, 384);
            assertEquals(384 * 384, xtx.length);
            for (int j = 0; j < 384; j++) assertEquals(diag[j], xtx[j * 384 + j], 1e-5 * diag[j]);
            for (int i = 0; i < 384; i++) for (int j = 0; j < i; j++) assertEquals(xtx[i * 384 + j], xtx[j * 384 + i], 1e-3 * (Math.abs(xtx[i * 384 + j]) + 1e-3));
        }
    }

    @Test
    void tooLittleTextAndAnExistingOutputAreRefusedWithoutWriting() throws IOException {
        Path small = Files.writeString(tmp.resolve("small.txt"), "Call me Ishmael.");
        Path stats = tmp.resolve("never.safetensors");
        assertEquals(1, NowagCli.run("calibrate", "--model", model.toString(), "--text", small.toString(),
                "--samples", "2", "--seq-len", "64", "--out", stats.toString()));
        assertFalse(Files.exists(stats));
        Path existing = Files.writeString(tmp.resolve("exists.safetensors"), "x");
        assertEquals(1, NowagCli.run("calibrate", "--model", model.toString(), "--text", text.get(0),
                "--samples", "2", "--seq-len", "64", "--out", existing.toString()));
        assertEquals("x", Files.readString(existing));
    }

    @Test
    void anImatrixFileIsConvertedToTheStatisticsFileWithMeanSquaresUnderHfNames() throws IOException {
        // Legacy llama.cpp .dat: int32 n; per entry int32 len, name, int32 ncall, int32 nval, float[nval] (little-endian).
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1024).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        String name = "blk.0.attn_q.weight";
        b.putInt(1).putInt(name.length()).put(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.putInt(2).putInt(3).putFloat(2f).putFloat(4f).putFloat(0f);
        Path dat = tmp.resolve("imatrix.dat");
        Files.write(dat, java.util.Arrays.copyOf(b.array(), b.position()));
        Path stats = tmp.resolve("from-imatrix.safetensors");
        assertEquals(0, NowagCli.run("calibrate", "--imatrix", dat.toString(), "--out", stats.toString()));
        try (SafetensorsFile f = SafetensorsFile.open(FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(stats.toUri()))) {
            assertEquals(1, f.header().tensors().size());
            float[] v = f.readRowsAsFloat("model.layers.0.self_attn.q_proj.weight", 0, 3);
            assertEquals(1f, v[0]);  // value / ncall
            assertEquals(2f, v[1]);
            assertEquals(0f, v[2]);
        }
        assertEquals(2, NowagCli.run("calibrate", "--imatrix", dat.toString()), "--out is required");
        assertEquals(2, NowagCli.run("calibrate", "--imatrix", dat.toString(), "--text", dat.toString(),
                "--out", tmp.resolve("x.safetensors").toString()), "--imatrix and --text together are refused");
    }
}
