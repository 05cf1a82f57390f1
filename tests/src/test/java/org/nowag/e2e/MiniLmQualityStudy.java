package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.tokenizer.Tokenizer;
import org.nowag.io.tokenizer.TokenizerLoader;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.TensorReport;
import org.nowag.job.calib.CalibrateOptions;
import org.nowag.job.calib.Calibrator;
import org.nowag.job.calib.ModelWeights;
import org.nowag.job.calib.StatisticsFileWriter;
import org.nowag.job.calib.TextSource;
import org.nowag.job.calib.TokenWindows;
import org.nowag.job.cli.NowagCli;
import org.nowag.job.eval.EvalOptions;
import org.nowag.job.eval.Evaluation;
import org.nowag.job.eval.Evaluator;
import org.nowag.kernels.model.BertEncoder;
import org.nowag.kernels.model.LinearInputObserver;
import org.nowag.kernels.model.StatisticsCollector;
import org.nowag.kernels.model.TokenBatch;

/**
 * Not part of the suite (the name does not end in Test): the study behind the README's "Why NoWag-P does not beat
 * Wanda on MiniLM". For each calibration setting it runs the real calibrate, compress (nowag-p, wanda) and evaluate
 * on many held-out chunks, and prints the cosines, a paired bootstrap interval of NoWag-P - Wanda, and how often
 * each method has the lower activation-weighted output error per tensor. Run with
 * {@code mvn -B -o -q test -pl tests -am -Dtest=MiniLmQualityStudy -Dsurefire.failIfNoSpecifiedTests=false
 * -Dnowag.study=16x128,64x128s1 -Dnowag.study.chunks=230} (WINDOWSxLENGTH, optionally sSEED for the window draw,
 * 0 otherwise); a setting ending in "-nospecial" leaves the [CLS]/[SEP]
 * rows out of s (computed in this JVM with the same windows, as the NoWag reference's windows have no specials).
 */
class MiniLmQualityStudy {
    @TempDir Path tmp;

    @Test
    void study() throws IOException {
        Path model = Fixtures.miniLm();
        String settings = System.getProperty("nowag.study", "16x128,64x128,128x128");
        int chunks = Integer.getInteger("nowag.study.chunks", 230);
        int perText = (chunks + 22) / 23;
        List<String> heldOut = new ArrayList<>(Corpora.uris(Corpora.sotu(2000, 2021)));
        heldOut.add(Corpora.mobyDick().toUri().toString());
        List<String> calib = Corpora.uris(Corpora.sotu(1790, 1999));

        Map<String, List<Double>> magnitude = null;
        List<String> table = new ArrayList<>();
        for (String setting : settings.split(",")) {
            boolean noSpecial = setting.endsWith("-nospecial");
            String[] nl = setting.replace("-nospecial", "").split("[xs]");
            int windows = Integer.parseInt(nl[0]);
            int seqLen = Integer.parseInt(nl[1]);
            long seed = nl.length > 2 ? Long.parseLong(nl[2]) : 0;
            Path stats = tmp.resolve(setting + ".safetensors");
            long t0 = System.nanoTime();
            if (noSpecial) calibrateWithoutSpecials(model, calib, windows, seqLen, seed, stats);
            else {
                CalibrateOptions o = new CalibrateOptions();
                o.model = model.toUri().toString();
                o.texts = calib;
                o.samples = windows;
                o.seqLen = seqLen;
                o.seed = seed;
                o.out = stats.toString();
                new Calibrator(Fixtures.spark(), line -> { }).run(o);
            }
            System.out.printf(Locale.ROOT, "[study] %s: calibrate %.1f s%n", setting, (System.nanoTime() - t0) / 1e9);
            Map<String, Evaluation> ev = new LinkedHashMap<>();
            Map<String, CompressionReport> rep = new LinkedHashMap<>();
            List<String> methods = new ArrayList<>(List.of("nowag-p", "wanda"));
            if (magnitude == null) methods.add("magnitude");
            for (String method : methods) {
                Path pruned = tmp.resolve(setting + "-" + method);
                assertEquals(0, NowagCli.run("compress", "--model", model.toString(), "--out", pruned.toString(),
                        "--method", method, "--calibration", stats.toString(), "--sparsity", "0.5"));
                rep.put(method, CompressionReport.fromJson(Files.readString(pruned.resolve("report.json"))));
                EvalOptions e = new EvalOptions();
                e.model = model.toUri().toString();
                e.compare = pruned.toUri().toString();
                e.texts = heldOut;
                e.maxChunks = chunks;
                e.maxTokens = 128;
                ev.put(method, new Evaluator(Fixtures.spark(), line -> { }).run(e));
            }
            if (magnitude == null) {
                magnitude = Map.of("all", ev.get("magnitude").chunkCosines);
                table.add(String.format(Locale.ROOT, "| magnitude (no s) | %.4f | %.4f |", mean(magnitude.get("all")),
                        mean(firstPerText(magnitude.get("all"), perText, 2))));
            }
            List<Double> nw = ev.get("nowag-p").chunkCosines;
            List<Double> wa = ev.get("wanda").chunkCosines;
            PairedBootstrap all = PairedBootstrap.of(nw, wa, 10000, 1);
            PairedBootstrap first = PairedBootstrap.of(firstPerText(nw, perText, 2), firstPerText(wa, perText, 2), 10000, 1);
            int nowagLowerDataLoss = 0;
            double relNowag = 0;
            double relWanda = 0;
            for (TensorReport t : rep.get("nowag-p").tensors) {
                TensorReport w = rep.get("wanda").tensor(t.name);
                if (t.dataAwareLoss < w.dataAwareLoss) nowagLowerDataLoss++;
                relNowag += t.dataAwareLoss / (t.dataAwareLoss + w.dataAwareLoss);
                relWanda += w.dataAwareLoss / (t.dataAwareLoss + w.dataAwareLoss);
            }
            String row = String.format(Locale.ROOT,
                    "| %s | NoWag-P %.4f, Wanda %.4f (%d chunks) | NoWag-P - Wanda %s | first 2 per text: NoWag-P %.4f, Wanda %.4f, %s | proxy NoWag-P %.4f Wanda %.4f | data-aware loss lower for NoWag-P in %d of %d tensors |",
                    setting, mean(nw), mean(wa), nw.size(), all, mean(firstPerText(nw, perText, 2)),
                    mean(firstPerText(wa, perText, 2)), first,
                    rep.get("nowag-p").totalProxyLoss / rep.get("nowag-p").totalProxyEnergy,
                    rep.get("wanda").totalProxyLoss / rep.get("wanda").totalProxyEnergy,
                    nowagLowerDataLoss, rep.get("nowag-p").tensors.size());
            table.add(row);
            System.out.println("[study] " + row);
        }
        System.out.println("[study] ===== summary =====");
        for (String r : table) System.out.println("[study] " + r);
    }

    static double mean(List<Double> v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.size();
    }

    /** The chunks the 46-chunk test uses: the first k of each text's perText (chunks come text after text). */
    static List<Double> firstPerText(List<Double> v, int perText, int k) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) if (i % perText < k) out.add(v.get(i));
        return out;
    }

    /** Same windows as calibrate draws, s summed over the body tokens only (the reference's windows have no specials). */
    static void calibrateWithoutSpecials(Path model, List<String> texts, int windows, int seqLen, long seed, Path out) throws IOException {
        Configuration conf = new Configuration();
        ModelWeights m = ModelWeights.open(model.toUri().toString(), conf);
        Tokenizer tok = TokenizerLoader.load(FileSystem.getLocal(conf), new org.apache.hadoop.fs.Path(model.toUri()));
        TokenWindows stream = TokenWindows.of(tok, TextSource.read(texts, conf));
        List<int[]> ws = stream.sample(windows, seqLen, seed);
        int pre = stream.prefix().length;
        int suf = stream.suffix().length;
        StatisticsCollector stats = new StatisticsCollector(false);
        LinearInputObserver bodyOnly = new LinearInputObserver() {
            float[] lastIn;
            float[] lastOut;

            @Override
            public void onLinearInput(String weightName, float[] rows, int tokens, int inFeatures) {
                if (rows != lastIn) {
                    int body = seqLen - pre - suf;
                    float[] kept = new float[tokens / seqLen * body * inFeatures];
                    int at = 0;
                    for (int t = 0; t < tokens; t++) {
                        int pos = t % seqLen;
                        if (pos < pre || pos >= seqLen - suf) continue;
                        System.arraycopy(rows, t * inFeatures, kept, at, inFeatures);
                        at += inFeatures;
                    }
                    lastIn = rows;
                    lastOut = kept;
                }
                stats.onLinearInput(weightName, lastOut, lastOut.length / inFeatures, inFeatures);
            }
        };
        for (int from = 0; from < ws.size(); from += 16) {
            List<int[]> part = ws.subList(from, Math.min(ws.size(), from + 16));
            BertEncoder.streamLayers(m.source(), m.bertConfig(), TokenBatch.of(part.toArray(new int[0][])), bodyOnly);
        }
        StatisticsFileWriter.write(FileSystem.getLocal(conf), new org.apache.hadoop.fs.Path(out.toUri()), stats,
                Map.of("statistic", "diag(X^T X) over body tokens only (study)"));
    }
}
