package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.TensorReport;
import org.nowag.job.calib.CalibrateOptions;
import org.nowag.job.calib.Calibrator;
import org.nowag.job.cli.NowagCli;
import org.nowag.job.eval.EvalOptions;
import org.nowag.job.eval.Evaluation;
import org.nowag.job.eval.Evaluator;

/**
 * Not part of the suite (the name does not end in Test): NoWag-VQ on all 36 MiniLM matrices at the real defaults
 * (d = 6, 2 bits, K = 4096, up to 100 iterations, seed 0), calibrated exactly as MiniLmQualityTest calibrates (SOTU
 * 1790-1999, 64 windows of 128 tokens, seed 0) and evaluated the same way (embedding cosine on the 46 held-out
 * chunks), next to NoWag-P at 2:4 and at 50% on the same statistics. Prints the wall time of each compress run,
 * the iterations k-means used per matrix, bits per weight and the cosines (docs/results/2026-12-06-vq-fused.md).
 * Run with {@code mvn -B -o -q test -pl tests -am -Dtest=MiniLmVqDefaultsStudy -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dnowag.vq.iters=N} caps the iterations for a quick try).
 */
class MiniLmVqDefaultsStudy {
    @TempDir Path tmp;

    @Test
    void study() throws IOException {
        int iters = Integer.getInteger("nowag.vq.iters", 100);
        Path model = Fixtures.miniLm();
        Path stats = tmp.resolve("sotu-1790-1999.safetensors");
        long t0 = System.nanoTime();
        CalibrateOptions o = new CalibrateOptions();
        o.model = model.toUri().toString();
        o.texts = Corpora.uris(Corpora.sotu(1790, 1999));
        o.samples = MiniLmQualityTest.SAMPLES;
        o.seqLen = MiniLmQualityTest.SEQ_LEN;
        o.seed = MiniLmQualityTest.SEED;
        o.out = stats.toString();
        new Calibrator(Fixtures.spark(), line -> { }).run(o);
        print("calibrate: %.1f s", seconds(t0));
        List<String> heldOut = new ArrayList<>(Corpora.uris(Corpora.sotu(2000, 2021)));
        heldOut.add(Corpora.mobyDick().toUri().toString());

        List<String> rows = new ArrayList<>();
        rows.add("| method | compress wall s | bits/weight | relative proxy loss | embedding cosine | top-1 agreement |");
        rows.add("|---|---|---|---|---|---|");

        Path vq = tmp.resolve("vq");
        long c0 = System.nanoTime();
        assertEquals(0, NowagCli.run("compress", "--model", model.toString(), "--out", vq.toString(), "--method",
                "nowag-vq", "--vq-iters", Integer.toString(iters), "--calibration", stats.toString()));
        double vqSeconds = seconds(c0);
        Path dense = tmp.resolve("vq-dense");
        assertEquals(0, NowagCli.run("decompress", "--model", vq.toString(), "--out", dense.toString()));
        CompressionReport vqReport = report(vq);
        Evaluation vqEval = evaluate(model, dense, heldOut);
        rows.add(row("NoWag-VQ d=6, K=4096, <= " + iters + " iterations", vqSeconds, vqReport.bitsPerWeight,
                vqReport, vqEval));
        perMatrix(vqReport);

        for (String[] p : new String[][] {{"2:4", "--pattern", "2:4"}, {"50%", "--sparsity", "0.5"}}) {
            Path pruned = tmp.resolve("nowag-p-" + p[0].replace(":", "of").replace("%", ""));
            long p0 = System.nanoTime();
            assertEquals(0, NowagCli.run("compress", "--model", model.toString(), "--out", pruned.toString(), "--method",
                    "nowag-p", p[1], p[2], "--calibration", stats.toString()));
            double secs = seconds(p0);
            CompressionReport r = report(pruned);
            rows.add(row("NoWag-P " + p[0], secs, prunedBits(r, p[0].equals("2:4")), r, evaluate(model, pruned, heldOut)));
        }
        for (String r : rows) print("%s", r);
    }

    private static void perMatrix(CompressionReport r) {
        print("| tensor | shape | iterations | converged | bits/weight | relative proxy loss | task s |");
        print("|---|---|---|---|---|---|---|");
        int converged = 0;
        int total = 0;
        int most = 0;
        for (TensorReport t : r.tensors) {
            if (t.vq == null) continue;
            print("| %s | %d x %d | %d | %s | %.3f | %.4f | %.1f |", t.name, t.shape[0], t.shape[1], t.vq.iterations,
                    t.vq.converged, t.vq.bitsPerWeight, t.proxyLossRelative, t.seconds);
            total += t.vq.iterations;
            most = Math.max(most, t.vq.iterations);
            if (t.vq.converged) converged++;
        }
        print("iterations: %d in all, at most %d; %d of %d matrices converged (no code changed)", total, most,
                converged, r.tensors.size());
    }

    /** Storage bits per weight by the report's own count: compact 2:4 (16-bit value + 2-bit position per kept weight), or the reference's count for unstructured. */
    private static double prunedBits(CompressionReport r, boolean twoFour) {
        double bits = 0;
        long numel = 0;
        for (TensorReport t : r.tensors) {
            bits += (twoFour ? t.compact24BitsPerWeight : t.referenceBitsPerWeight) * t.numel;
            numel += t.numel;
        }
        return bits / numel;
    }

    private static String row(String method, double seconds, double bits, CompressionReport r, Evaluation e) {
        return String.format(Locale.ROOT, "| %s | %.1f | %.3f | %.4f | %.4f | %.3f |", method, seconds, bits,
                r.totalProxyLoss / r.totalProxyEnergy, e.meanCosine, e.top1Agreement);
    }

    private static CompressionReport report(Path out) throws IOException {
        return CompressionReport.fromJson(Files.readString(out.resolve("report.json")));
    }

    private static Evaluation evaluate(Path model, Path compared, List<String> heldOut) throws IOException {
        EvalOptions e = new EvalOptions();
        e.model = model.toUri().toString();
        e.compare = compared.toUri().toString();
        e.texts = heldOut;
        e.maxChunks = MiniLmQualityTest.CHUNKS;
        e.maxTokens = MiniLmQualityTest.CHUNK_TOKENS;
        Evaluation ev = new Evaluator(Fixtures.spark(), line -> { }).run(e);
        assertEquals(MiniLmQualityTest.CHUNKS, ev.chunks);
        return ev;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void print(String format, Object... args) {
        System.out.println("[vq-defaults] " + String.format(Locale.ROOT, format, args));
    }
}
