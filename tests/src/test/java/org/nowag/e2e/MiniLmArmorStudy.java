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
import org.nowag.job.calib.CalibrateOptions;
import org.nowag.job.calib.Calibrator;
import org.nowag.job.cli.NowagCli;
import org.nowag.job.eval.EvalOptions;
import org.nowag.job.eval.Evaluation;
import org.nowag.job.eval.Evaluator;

/**
 * The ARMOR row of the README's MiniLM quality table, on exactly MiniLmQualityTest's calibration (64 windows x 128
 * tokens of SOTU 1790-1999, seed 0) and held-out chunks, with NoWag-P 2:4 (ARMOR's start) as the control row. Not in
 * the suite (ARMOR on all 36 matrices takes minutes): run it with
 * {@code mvn -B -o -q test -pl tests -am -Dtest=MiniLmArmorStudy -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class MiniLmArmorStudy {
    @TempDir Path tmp;

    @Test
    void armorAndItsNoWagPStartOnTheQualityTestsCalibration() throws IOException {
        Path model = Fixtures.miniLm();
        Path stats = tmp.resolve("stats.safetensors");
        CalibrateOptions o = new CalibrateOptions();
        o.model = model.toUri().toString();
        o.texts = Corpora.uris(Corpora.sotu(1790, 1999));
        o.samples = MiniLmQualityTest.SAMPLES;
        o.seqLen = MiniLmQualityTest.SEQ_LEN;
        o.seed = MiniLmQualityTest.SEED;
        o.out = stats.toString();
        new Calibrator(Fixtures.spark(), line -> { }).run(o);
        List<String> heldOut = new ArrayList<>(Corpora.uris(Corpora.sotu(2000, 2021)));
        heldOut.add(Corpora.mobyDick().toUri().toString());
        for (String method : new String[] {"nowag-p", "armor"}) {
            Path out = tmp.resolve(method);
            long t0 = System.nanoTime();
            assertEquals(0, NowagCli.run("compress", "--model", model.toString(), "--out", out.toString(),
                    "--method", method, "--pattern", "2:4", "--calibration", stats.toString()));
            double seconds = (System.nanoTime() - t0) / 1e9;
            CompressionReport report = CompressionReport.fromJson(Files.readString(out.resolve("report.json")));
            EvalOptions e = new EvalOptions();
            e.model = model.toUri().toString();
            e.compare = out.toUri().toString();
            e.texts = heldOut;
            e.maxChunks = MiniLmQualityTest.CHUNKS;
            e.maxTokens = MiniLmQualityTest.CHUNK_TOKENS;
            Evaluation ev = new Evaluator(Fixtures.spark(), line -> { }).run(e);
            System.out.printf(Locale.ROOT, "| 2:4 | %s | %.4f | %.3f | %.4f | compress %.0f s |%n", method, ev.meanCosine,
                    ev.top1Agreement, report.totalProxyLoss / report.totalProxyEnergy, seconds);
        }
    }
}
