package org.nowag.kernels.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The packed BERT encoder and sentence pooling equal plain double loops (HF BertModel equations) on tiny weights. */
class BertEncoderMatchesReferenceTest {

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {1, 2, 3})
    void hiddenStatesAndSentenceEmbeddingsMatchTheReference(long seed) throws Exception {
        BertConfig config = TinyWeights.tinyBert();
        Map<String, Tensor> w = TinyWeights.bert(config, seed);
        int[][] ids = {TinyWeights.ids(9, 40, seed), TinyWeights.ids(3, 40, seed + 1)};
        int[][] types = {new int[9], {0, 1, 1}};
        TokenBatch batch = TokenBatch.of(ids).withTokenTypes(types);
        BertEncoder encoder = BertEncoder.load(WeightSource.of(w), config);
        float[] hidden = encoder.hiddenStates(batch, LinearInputObserver.NONE).values();
        float[][] sentences = encoder.sentenceEmbeddings(batch);

        int row = 0;
        for (int s = 0; s < ids.length; s++) {
            double[][] expected = reference(w, config, ids[s], types[s]);
            double[] mean = new double[config.hiddenSize()];
            for (int t = 0; t < ids[s].length; t++, row++) {
                for (int j = 0; j < config.hiddenSize(); j++) {
                    assertEquals(expected[t][j], hidden[row * config.hiddenSize() + j], 1e-4, "seq " + s + " token " + t);
                    mean[j] += expected[t][j] / ids[s].length;
                }
            }
            double norm = 0;
            for (double m : mean) norm += m * m;
            norm = Math.sqrt(norm);
            for (int j = 0; j < mean.length; j++) assertEquals(mean[j] / norm, sentences[s][j], 1e-5);
        }
    }

    /** last_hidden_state of one sequence, plain loops in double. */
    static double[][] reference(Map<String, Tensor> w, BertConfig c, int[] ids, int[] types) {
        int n = ids.length;
        int d = c.hiddenSize();
        int heads = c.numAttentionHeads();
        int hd = d / heads;
        double[][] x = new double[n][d];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < d; j++) {
                x[t][j] = at(w, "embeddings.word_embeddings.weight", ids[t], j)
                        + at(w, "embeddings.position_embeddings.weight", t, j)
                        + at(w, "embeddings.token_type_embeddings.weight", types[t], j);
            }
            x[t] = layerNorm(x[t], w, "embeddings.LayerNorm", c.layerNormEps());
        }
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String p = "encoder.layer." + l + ".";
            double[][] q = new double[n][];
            double[][] k = new double[n][];
            double[][] v = new double[n][];
            for (int t = 0; t < n; t++) {
                q[t] = linear(w, p + "attention.self.query", x[t]);
                k[t] = linear(w, p + "attention.self.key", x[t]);
                v[t] = linear(w, p + "attention.self.value", x[t]);
            }
            double[][] next = new double[n][];
            for (int t = 0; t < n; t++) {
                double[] ctx = new double[d];
                for (int h = 0; h < heads; h++) {
                    double[] e = new double[n];
                    double z = 0;
                    for (int s = 0; s < n; s++) {
                        double dot = 0;
                        for (int j = 0; j < hd; j++) dot += q[t][h * hd + j] * k[s][h * hd + j];
                        e[s] = Math.exp(dot / Math.sqrt(hd));
                        z += e[s];
                    }
                    for (int s = 0; s < n; s++)
                        for (int j = 0; j < hd; j++) ctx[h * hd + j] += e[s] / z * v[s][h * hd + j];
                }
                double[] a = linear(w, p + "attention.output.dense", ctx);
                for (int j = 0; j < d; j++) a[j] += x[t][j];
                double[] hN = layerNorm(a, w, p + "attention.output.LayerNorm", c.layerNormEps());
                double[] inter = linear(w, p + "intermediate.dense", hN);
                for (int j = 0; j < inter.length; j++) inter[j] = 0.5 * inter[j] * (1 + ErfTest.referenceErf(inter[j] / Math.sqrt(2)));
                double[] o = linear(w, p + "output.dense", inter);
                for (int j = 0; j < d; j++) o[j] += hN[j];
                next[t] = layerNorm(o, w, p + "output.LayerNorm", c.layerNormEps());
            }
            x = next;
        }
        return x;
    }

    static double at(Map<String, Tensor> w, String name, int r, int j) {
        Tensor t = w.get(name);
        return t.values()[r * t.dim(1) + j];
    }

    static double[] linear(Map<String, Tensor> w, String prefix, double[] x) {
        Tensor wt = w.get(prefix + ".weight");
        float[] b = w.get(prefix + ".bias").values();
        double[] y = new double[wt.dim(0)];
        for (int i = 0; i < y.length; i++) {
            double s = b[i];
            for (int j = 0; j < x.length; j++) s += wt.values()[i * x.length + j] * x[j];
            y[i] = s;
        }
        return y;
    }

    static double[] layerNorm(double[] x, Map<String, Tensor> w, String prefix, double eps) {
        double mean = 0;
        for (double v : x) mean += v / x.length;
        double var = 0;
        for (double v : x) var += (v - mean) * (v - mean) / x.length;
        float[] g = w.get(prefix + ".weight").values();
        float[] b = w.get(prefix + ".bias").values();
        double[] y = new double[x.length];
        for (int j = 0; j < x.length; j++) y[j] = (x[j] - mean) / Math.sqrt(var + eps) * g[j] + b[j];
        return y;
    }
}
