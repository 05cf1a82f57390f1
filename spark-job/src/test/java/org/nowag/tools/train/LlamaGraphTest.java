package org.nowag.tools.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nowag.kernels.model.LlamaConfig;
import org.nowag.kernels.model.LlamaModel;
import org.nowag.kernels.model.Tensor;
import org.nowag.kernels.model.TokenBatch;
import org.nowag.kernels.model.WeightSource;

/** The SameDiff Llama against two references: finite differences of its own loss, and the kernels' forward pass. */
class LlamaGraphTest {
    /** GQA (4 query heads on 2 KV heads), 2 layers, untied head, a rope_theta that is not the default. */
    static final LlamaConfig MICRO = new LlamaConfig(40, 16, 24, 2, 4, 2).withRopeTheta(500.0).withRmsNormEps(1e-5);

    @Test
    void gradientsEqualCentralFiniteDifferencesInDoublePrecision() {
        Map<String, INDArray> w = WeightInit.initial(MICRO, 7, DataType.DOUBLE);
        // Larger than the 0.02 init so attention and the norms are far from linear.
        Random jitter = new Random(9);
        for (Map.Entry<String, INDArray> e : w.entrySet()) {
            INDArray a = e.getValue();
            if (!e.getKey().endsWith("norm.weight")) {
                a.muli(10);
            } else {
                for (long i = 0; i < a.length(); i++) a.putScalar(i, 0.5 + jitter.nextDouble());
            }
        }
        LlamaGraph g = LlamaGraph.build(MICRO, 2, 5, w);
        Map<String, INDArray> feed = randomFeed(2, 5, 11);
        OutAndGrad og = g.sameDiff().calculateGradientsAndOutputs(feed, List.of(LlamaGraph.LOSS), g.parameterNames());
        Random pick = new Random(3);
        int checked = 0;
        for (String name : g.parameterNames()) {
            INDArray p = g.sameDiff().getVariable(name).getArr();
            INDArray grad = og.getGradients().get(name);
            for (int k = 0; k < 3; k++) {
                long i = pick.nextInt((int) p.length());
                double orig = p.getDouble(i);
                double h = 1e-5;
                p.putScalar(i, orig + h);
                double up = loss(g, feed);
                p.putScalar(i, orig - h);
                double down = loss(g, feed);
                p.putScalar(i, orig);
                double fd = (up - down) / (2 * h);
                double ad = grad.getDouble(i);
                assertEquals(fd, ad, 1e-7 + 1e-6 * Math.abs(fd), name + "[" + i + "]");
                checked++;
            }
        }
        assertEquals(3 * LlamaGraph.parameterShapes(MICRO).size(), checked);
    }

    @Test
    void logitsEqualTheKernelsLlamaForward() throws Exception {
        Map<String, INDArray> w = WeightInit.initial(MICRO, 5, DataType.FLOAT);
        for (Map.Entry<String, INDArray> e : w.entrySet()) if (!e.getKey().endsWith("norm.weight")) e.getValue().muli(20);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : w.entrySet()) {
            long[] s = e.getValue().shape();
            int[] shape = new int[s.length];
            for (int i = 0; i < s.length; i++) shape[i] = (int) s[i];
            tensors.put(e.getKey(), new Tensor(e.getKey(), e.getValue().dup().data().asFloat(), shape));
        }
        LlamaModel kernels = LlamaModel.load(WeightSource.of(tensors), MICRO);
        int batch = 3;
        int seq = 9;
        Map<String, INDArray> feed = randomFeed(batch, seq, 4);
        Map<String, INDArray> doubles = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : w.entrySet()) doubles.put(e.getKey(), e.getValue().castTo(DataType.DOUBLE));
        INDArray sd = LlamaGraph.build(MICRO, batch, seq, doubles).sameDiff().outputSingle(feed, LlamaGraph.LOGITS);
        float[] ref = kernels.logits(TokenBatch.of(feed.get(LlamaGraph.INPUT_IDS).toIntMatrix()));
        assertEquals(ref.length, sd.length());
        double maxLogit = 0;
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], sd.getDouble(i), 1e-4, "logit " + i);
            maxLogit = Math.max(maxLogit, Math.abs(ref[i]));
        }
        assertTrue(maxLogit > 1, "logits should not be trivially small: " + maxLogit);
    }

    @Test
    void lossOfUniformLogitsIsLogVocab() {
        Map<String, INDArray> w = WeightInit.initial(MICRO, 1, DataType.DOUBLE);
        w.get("lm_head.weight").assign(0);
        LlamaGraph g = LlamaGraph.build(MICRO, 2, 4, w);
        assertEquals(Math.log(MICRO.vocabSize()), loss(g, randomFeed(2, 4, 1)), 1e-12);
    }

    static double loss(LlamaGraph g, Map<String, INDArray> feed) {
        return g.sameDiff().outputSingle(feed, LlamaGraph.LOSS).getDouble(0);
    }

    static Map<String, INDArray> randomFeed(int batch, int seq, long seed) {
        Random r = new Random(seed);
        int[][] ids = new int[batch][seq];
        int[] labels = new int[batch * seq];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seq; t++) {
                ids[b][t] = r.nextInt(MICRO.vocabSize());
                labels[b * seq + t] = r.nextInt(MICRO.vocabSize());
            }
        }
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(LlamaGraph.INPUT_IDS, Nd4j.createFromArray(ids));
        feed.put(LlamaGraph.LABELS, Nd4j.createFromArray(labels));
        return feed;
    }
}
