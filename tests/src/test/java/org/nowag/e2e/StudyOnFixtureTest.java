package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.kernels.quant.RoundToNearest;
import org.nowag.kernels.quant.RtnConfig;

/**
 * `nowag study` on the committed causal fixture, reduced (six rows, NoWag-VQ with one k-means iteration, ARMOR with none, 8 calibration windows, 512 scored tokens per
 * held-out set) so it runs in the suite; the full table is a measurement (docs/causal-fixture.md, "The quality study"). Asserts only what
 * holds by construction: the dense row is what `nowag evaluate` prints, every perplexity is finite and no better than
 * dense beyond a small tolerance, NoWag-P's proxy loss is at most magnitude's at the same sparsity (NoWag-P keeps the
 * weights that minimise it), and the RTN row's weights and bits are exactly the kernel's.
 */
class StudyOnFixtureTest {
    static final Path FIXTURE = Path.of("fixtures", "sotu-llama");
    static final String ROWS = "dense,magnitude-50,nowag-p-50,armor-2of4,nowag-vq-2bit,rtn-int4";

    @TempDir
    Path tmp;

    @Test
    void reducedStudyOnTheFixtureMeasuresEveryRowAndItsDenseRowIsWhatEvaluatePrints() throws Exception {
        Fixtures.spark(); // the CLI joins the suite's local[2,4] context instead of starting its own
        Path moby = tmp.resolve("moby-dick-start.txt");
        Files.writeString(moby, Files.readString(Corpora.mobyDick()).substring(0, 20_000));
        List<Path> sotu = Corpora.sotu(2000, 2001);
        Path sotuDir = Files.createDirectory(tmp.resolve("sotu-2000-2001"));
        for (Path p : sotu) Files.copy(p, sotuDir.resolve(p.getFileName()));
        Path train = Files.createDirectory(tmp.resolve("sotu-1790-1799"));
        for (Path p : Corpora.sotu(1790, 1799)) Files.copy(p, train.resolve(p.getFileName()));
        Path out = tmp.resolve("study");

        CliAndCalibrationTest.Run run = CliAndCalibrationTest.cli("study", "--model", FIXTURE.toString(), "--out",
                out.toString(), "--calibration-text", train.toString(), "--heldout", "sotu=" + sotuDir,
                "--heldout", "moby=" + moby, "--rows", ROWS, "--samples", "8", "--seq-len", "64",
                "--max-eval-tokens", "512", "--vq-bits", "2", "--vq-iters", "1", "--armor-iters", "0");
        assertEquals(0, run.code, run.err);

        JsonNode study = new ObjectMapper().readTree(out.resolve("study.json").toFile());
        JsonNode rows = study.get("rows");
        assertEquals(ROWS.split(",").length, rows.size());
        JsonNode dense = rows.get(0);
        assertEquals("dense", dense.get("id").asText());
        for (String set : new String[] {"sotu", "moby"}) {
            Path text = set.equals("sotu") ? sotuDir : moby;
            CliAndCalibrationTest.Run eval = CliAndCalibrationTest.cli("evaluate", "--model", FIXTURE.toString(),
                    "--compare", FIXTURE.toString(), "--text", text.toString(), "--max-eval-tokens", "512",
                    "--out", tmp.resolve("evaluate-" + set + ".json").toString());
            assertEquals(0, eval.code, eval.err);
            double evaluate = new ObjectMapper().readTree(tmp.resolve("evaluate-" + set + ".json").toFile())
                    .get("originalPerplexity").asDouble();
            double densePpl = dense.get("perplexity").get(set).asDouble();
            assertEquals(evaluate, densePpl, 0.0, "the dense row is what nowag evaluate gives on " + set);
            for (JsonNode r : rows) {
                assertTrue(r.get("error").isNull(), r.get("id") + ": " + r.get("error"));
                double ppl = r.get("perplexity").get(set).asDouble();
                // Only what holds by construction: a finite perplexity above 1. A compressed row may score below dense
                // on held-out text (the 8-layer fixture: magnitude 50% 539.1 vs dense 544.6 on 512 Moby-Dick tokens).
                assertTrue(Double.isFinite(ppl) && ppl > 1, r.get("id") + " on " + set + ": " + ppl
                        + " vs dense " + densePpl);
            }
        }
        assertEquals(16.0, dense.get("bitsPerWeight").asDouble(), 0.0, "BF16");
        // NoWag-VQ's output holds codes, not weights: the study evaluates its decompressed twin.
        assertTrue(row(rows, "nowag-vq-2bit").get("path").asText().endsWith("then decompress"));
        // An ARMOR output declares itself raw (model_type nowag_armor), which evaluate refuses: decompressed too.
        assertTrue(row(rows, "armor-2of4").get("path").asText().endsWith("then decompress"));
        assertTrue(Files.isRegularFile(out.resolve("models/nowag-vq-2bit-decompressed/model.safetensors")));
        double magnitude = row(rows, "magnitude-50").get("proxyLoss").asDouble();
        double nowagP = row(rows, "nowag-p-50").get("proxyLoss").asDouble();
        assertTrue(nowagP > 0 && nowagP <= magnitude, "NoWag-P " + nowagP + " vs magnitude " + magnitude);

        // RTN (the study-only path): every matrix is the kernel's dequantized INT4, stored bits as RtnConfig counts.
        ModelDirectory in = ModelDirectory.open(FIXTURE.toAbsolutePath().toUri().toString(), new Configuration());
        Path rtn = out.resolve("models/rtn-int4");
        double bits = 0;
        long n = 0;
        List<String> checked = new ArrayList<>();
        for (TensorInfo t : in.tensors()) {
            if (!t.name().matches(".*\\.layers\\.\\d+\\..*\\.weight") || t.shape().length != 2) continue;
            int rowsOf = (int) t.rows();
            int cols = (int) t.cols();
            float[] expected = RoundToNearest.quantize(Fixtures.floats(FIXTURE, t.name()), rowsOf, cols, RtnConfig.int_(4)).dequantize();
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, Fixtures.floats(rtn, t.name()), t.name());
            bits += RtnConfig.int_(4).bitsPerWeight(rowsOf, cols) * t.numel();
            n += t.numel();
            checked.add(t.name());
        }
        int layers = new ObjectMapper().readTree(FIXTURE.resolve("config.json").toFile()).get("num_hidden_layers").asInt();
        assertEquals(7 * layers, checked.size(), "7 matrices in each of " + layers + " layers");
        assertEquals(bits / n, row(rows, "rtn-int4").get("bitsPerWeight").asDouble(), 1e-12);

        // Paired bootstrap intervals: magnitude 50% against NoWag-P 50% (the reference), RTN INT4 has no 4-bit
        // VQ row to face; every row against dense; each interval holds its estimate, which is the perplexity difference.
        JsonNode mag = row(rows, "magnitude-50");
        assertEquals("nowag-p-50", mag.get("reference").asText());
        assertTrue(row(rows, "rtn-int4").get("reference").isNull());
        for (String set : new String[] {"sotu", "moby"}) {
            JsonNode i = mag.get("versusReference").get(set);
            double diff = mag.get("perplexity").get(set).asDouble() - row(rows, "nowag-p-50").get("perplexity").get(set).asDouble();
            assertEquals(diff, i.get("estimate").asDouble(), 1e-9 * Math.abs(diff) + 1e-12, set);
            assertTrue(i.get("low").asDouble() <= diff && diff <= i.get("high").asDouble(), set + ": " + i);
            for (JsonNode r : rows) {
                JsonNode d = r.get("versusDense").get(set);
                assertTrue(d.get("low").asDouble() <= d.get("high").asDouble(), r.get("id") + " " + set + ": " + d);
            }
            assertEquals(0.0, dense.get("versusDense").get(set).get("high").asDouble(), 0.0, "dense against itself");
        }

        String md = Files.readString(out.resolve("study.md"));
        String csv = Files.readString(out.resolve("study.csv"));
        assertTrue(csv.startsWith("row,method,setting,bits_per_weight,proxy_loss,data_aware_loss,ppl_sotu,ppl_moby,"), csv);
        for (String id : ROWS.split(",")) {
            assertTrue(md.contains("| " + id + " |"), "study.md has row " + id);
            assertTrue(csv.contains("\n" + id + ","), "study.csv has row " + id);
        }
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingIsWritten() {
        Path out = tmp.resolve("never");
        CliAndCalibrationTest.Run noName = CliAndCalibrationTest.cli("study", "--model", FIXTURE.toString(), "--out",
                out.toString(), "--calibration-text", FIXTURE.resolve("README.md").toString(), "--heldout", "just-a-path");
        assertEquals(2, noName.code, noName.err);
        assertTrue(noName.err.contains("--heldout just-a-path: give NAME=PATH"), noName.err);
        CliAndCalibrationTest.Run rows = CliAndCalibrationTest.cli("study", "--model", FIXTURE.toString(), "--out",
                out.toString(), "--calibration-text", FIXTURE.resolve("README.md").toString(), "--heldout",
                "x=" + FIXTURE.resolve("README.md"), "--sparsity", "1.5");
        assertEquals(2, rows.code, rows.err);
        assertTrue(rows.err.contains("--sparsity"), rows.err);
        CliAndCalibrationTest.Run missing = CliAndCalibrationTest.cli("study", "--model", FIXTURE.toString(), "--out",
                out.toString(), "--calibration-text", tmp.resolve("nothing-*.txt").toString(), "--heldout",
                "x=" + FIXTURE.resolve("README.md"));
        assertEquals(1, missing.code, missing.err);
        assertTrue(missing.err.contains("--calibration-text") && missing.err.contains("matches no text file"), missing.err);
        assertFalse(Files.exists(out), "nothing written");
    }

    private static JsonNode row(JsonNode rows, String id) {
        for (JsonNode r : rows) if (r.get("id").asText().equals(id)) return r;
        throw new AssertionError("no row " + id);
    }
}
