package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.tokenizer.Tokenizer;
import org.nowag.io.tokenizer.TokenizerLoader;
import org.nowag.job.calib.CalibrateOptions;
import org.nowag.job.calib.CalibrationStats;
import org.nowag.job.calib.Calibrator;
import org.nowag.job.calib.TextSource;
import org.nowag.job.calib.TokenWindows;

/**
 * The statistics {@code calibrate} writes for MiniLM equal an independent, slow computation: a BERT layer written
 * out here in plain double loops from the safetensors weights (embeddings, LayerNorm, 12-head attention, erf GELU),
 * on the same windows. For each of the six linear weights of layers 0 and 1, s_j = sum over every token of the
 * window (the [CLS] and [SEP] it is wrapped in included, as the model sees them) of x_j^2, where x is that weight's
 * own input: the layer input for query/key/value, the attention context for attention.output.dense, the
 * post-attention LayerNorm for intermediate.dense, and the GELU output for output.dense. A wrong input, a missing
 * token or a mixed-up name would show here.
 */
class CalibrationStatisticsReferenceTest {
    static final int WINDOWS = 3;
    static final int SEQ_LEN = 40;
    static final long SEED = 7;

    @TempDir Path tmp;

    @Test
    void statisticsOfLayersZeroAndOneEqualAPlainDoubleReferenceOnTheSameWindows() throws IOException {
        Path model = Fixtures.miniLm();
        List<String> texts = Corpora.uris(Corpora.sotu(1990, 1999));
        Path out = tmp.resolve("stats.safetensors");
        CalibrateOptions o = new CalibrateOptions();
        o.model = model.toUri().toString();
        o.texts = texts;
        o.samples = WINDOWS;
        o.seqLen = SEQ_LEN;
        o.seed = SEED;
        o.out = out.toString();
        new Calibrator(Fixtures.spark(), line -> { }).run(o);
        CalibrationStats stats = CalibrationStats.load(out.toString(), new Configuration());

        Configuration conf = new Configuration();
        Tokenizer tok = TokenizerLoader.load(org.apache.hadoop.fs.FileSystem.getLocal(conf),
                new org.apache.hadoop.fs.Path(model.toUri()));
        List<int[]> windows = TokenWindows.of(tok, TextSource.read(texts, conf)).sample(WINDOWS, SEQ_LEN, SEED);
        for (int[] w : windows) {
            assertEquals(SEQ_LEN, w.length);
            assertEquals(101, w[0], "window opens with [CLS]");
            assertEquals(102, w[SEQ_LEN - 1], "window closes with [SEP]");
        }

        Map<String, Object> config = new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(Files.readString(model.resolve("config.json")), Map.class);
        RefBert bert = new RefBert(model, ((Number) config.get("num_attention_heads")).intValue(),
                ((Number) config.get("layer_norm_eps")).doubleValue());
        double[][][] reference = new double[2][6][];
        for (int[] w : windows) {
            double[][] h = bert.embed(w);
            for (int layer = 0; layer < 2; layer++) {
                double[][][] inputs = new double[6][][];
                h = bert.layer(layer, h, inputs);
                for (int k = 0; k < 6; k++) {
                    double[] s = RefBert.sumSquares(inputs[k]);
                    if (reference[layer][k] == null) reference[layer][k] = s;
                    else for (int j = 0; j < s.length; j++) reference[layer][k][j] += s[j];
                }
            }
        }
        for (int layer = 0; layer < 2; layer++) {
            for (int k = 0; k < 6; k++) {
                String name = "encoder.layer." + layer + "." + RefBert.SUFFIXES[k];
                float[] ours = stats.diagonal(name);
                double[] ref = reference[layer][k];
                assertEquals(ref.length, ours.length, name);
                double scale = 0;
                for (double v : ref) scale = Math.max(scale, v);
                for (int j = 0; j < ref.length; j++) {
                    // float forward pass vs double reference: agree to a small fraction of the largest s_j.
                    assertEquals(ref[j], ours[j], 2e-4 * scale + 1e-3 * ref[j], name + " input " + j);
                }
                assertTrue(scale > 0, name);
            }
        }
    }

    /** BERT (post-LayerNorm) in plain double loops; slow and obvious on purpose. */
    static final class RefBert {
        static final String[] SUFFIXES = {
            "attention.self.query.weight", "attention.self.key.weight", "attention.self.value.weight",
            "attention.output.dense.weight", "intermediate.dense.weight", "output.dense.weight"};
        private final Path model;
        private final int heads;
        private final double eps;
        private final Map<String, float[]> read = new java.util.HashMap<>();

        RefBert(Path model, int heads, double eps) {
            this.model = model;
            this.heads = heads;
            this.eps = eps;
        }

        float[] t(String name) throws IOException {
            float[] v = read.get(name);
            if (v == null) read.put(name, v = Fixtures.floats(model, name));
            return v;
        }

        double[][] embed(int[] ids) throws IOException {
            float[] word = t("embeddings.word_embeddings.weight");
            float[] pos = t("embeddings.position_embeddings.weight");
            float[] type = t("embeddings.token_type_embeddings.weight");
            int d = t("embeddings.LayerNorm.weight").length;
            double[][] x = new double[ids.length][d];
            for (int i = 0; i < ids.length; i++) {
                for (int j = 0; j < d; j++) x[i][j] = word[ids[i] * d + j] + pos[i * d + j] + type[j];
            }
            return layerNorm(x, t("embeddings.LayerNorm.weight"), t("embeddings.LayerNorm.bias"));
        }

        /** One layer; inputs[k] receives the input of weight SUFFIXES[k]. */
        double[][] layer(int layer, double[][] x, double[][][] inputs) throws IOException {
            String p = "encoder.layer." + layer + ".";
            double[][] q = linear(x, p + "attention.self.query");
            double[][] k = linear(x, p + "attention.self.key");
            double[][] v = linear(x, p + "attention.self.value");
            int n = x.length;
            int d = x[0].length;
            int hd = d / heads;
            double[][] ctx = new double[n][d];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < n; i++) {
                    double[] a = new double[n];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        double dot = 0;
                        for (int e = 0; e < hd; e++) dot += q[i][h * hd + e] * k[j][h * hd + e];
                        a[j] = dot / Math.sqrt(hd);
                        max = Math.max(max, a[j]);
                    }
                    double z = 0;
                    for (int j = 0; j < n; j++) z += a[j] = Math.exp(a[j] - max);
                    for (int j = 0; j < n; j++) for (int e = 0; e < hd; e++) ctx[i][h * hd + e] += a[j] / z * v[j][h * hd + e];
                }
            }
            double[][] attnOut = linear(ctx, p + "attention.output.dense");
            for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) attnOut[i][j] += x[i][j];
            double[][] h1 = layerNorm(attnOut, t(p + "attention.output.LayerNorm.weight"), t(p + "attention.output.LayerNorm.bias"));
            double[][] inter = linear(h1, p + "intermediate.dense");
            for (double[] row : inter) for (int j = 0; j < row.length; j++) row[j] = 0.5 * row[j] * (1 + erf(row[j] / Math.sqrt(2)));
            double[][] o = linear(inter, p + "output.dense");
            for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) o[i][j] += h1[i][j];
            inputs[0] = x;
            inputs[1] = x;
            inputs[2] = x;
            inputs[3] = ctx;
            inputs[4] = h1;
            inputs[5] = inter;
            return layerNorm(o, t(p + "output.LayerNorm.weight"), t(p + "output.LayerNorm.bias"));
        }

        double[][] linear(double[][] x, String prefix) throws IOException {
            float[] w = t(prefix + ".weight");
            float[] b = t(prefix + ".bias");
            int in = x[0].length;
            int out = b.length;
            assertEquals((long) in * out, w.length, prefix);
            double[][] y = new double[x.length][out];
            for (int i = 0; i < x.length; i++) {
                for (int o = 0; o < out; o++) {
                    double acc = b[o];
                    for (int j = 0; j < in; j++) acc += w[o * in + j] * x[i][j];
                    y[i][o] = acc;
                }
            }
            return y;
        }

        double[][] layerNorm(double[][] x, float[] gamma, float[] beta) {
            double[][] y = new double[x.length][];
            for (int i = 0; i < x.length; i++) {
                double mean = 0;
                for (double v : x[i]) mean += v;
                mean /= x[i].length;
                double var = 0;
                for (double v : x[i]) var += (v - mean) * (v - mean);
                var /= x[i].length;
                y[i] = new double[x[i].length];
                for (int j = 0; j < x[i].length; j++) y[i][j] = (x[i][j] - mean) / Math.sqrt(var + eps) * gamma[j] + beta[j];
            }
            return y;
        }

        /** erf by its Maclaurin series (|x| < 3) or the asymptotic tail: plenty for a 1e-3 comparison. */
        static double erf(double x) {
            double a = Math.abs(x);
            double r;
            if (a < 3) {
                double term = a;
                double sum = a;
                for (int n = 1; n < 200; n++) {
                    term *= -a * a / n;
                    sum += term / (2 * n + 1);
                }
                r = 2 / Math.sqrt(Math.PI) * sum;
            } else {
                r = 1 - Math.exp(-a * a) / (a * Math.sqrt(Math.PI)) * (1 - 1 / (2 * a * a) + 3 / (4 * a * a * a * a));
            }
            return Math.signum(x) * r;
        }

        static double[] sumSquares(double[][] rows) {
            double[] s = new double[rows[0].length];
            for (double[] r : rows) for (int j = 0; j < s.length; j++) s[j] += r[j] * r[j];
            return s;
        }
    }
}
