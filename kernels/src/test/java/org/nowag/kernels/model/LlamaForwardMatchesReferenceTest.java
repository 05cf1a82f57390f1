package org.nowag.kernels.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The packed, GEMM-based Llama forward equals the token-by-token plain-loop reference on random tiny weights. */
class LlamaForwardMatchesReferenceTest {

    @ParameterizedTest(name = "lmHead={0} tieConfig={1} qkvBias={2} seed={3}")
    @CsvSource({
        "true, false, false, 1",   // separate lm_head
        "false, true, false, 2",   // tie_word_embeddings: true, no lm_head tensor
        "false, false, false, 3",  // untied config but no lm_head: falls back to the embeddings
        "true, true, false, 4",    // tied config wins over a present lm_head
        "true, false, true, 5",    // Qwen2-style q/k/v biases
    })
    void logitsOfEveryTokenMatchTheReferenceWithin1e4(boolean lmHead, boolean tieConfig, boolean qkvBias, long seed) throws Exception {
        LlamaConfig config = TinyWeights.tinyLlama().withTiedEmbeddings(tieConfig);
        Map<String, Tensor> weights = TinyWeights.llama(config, seed, lmHead, qkvBias);
        if (tieConfig && lmHead) {
            // make the unused lm_head obviously wrong, so using it would fail the comparison
            weights = new HashMap<>(weights);
            float[] junk = weights.get("lm_head.weight").values().clone();
            java.util.Arrays.fill(junk, 3f);
            weights.put("lm_head.weight", new Tensor("lm_head.weight", junk, config.vocabSize(), config.hiddenSize()));
        }
        LlamaModel model = LlamaModel.load(WeightSource.of(weights), config);
        assertEquals(!lmHead || tieConfig, model.head().tied());

        int[][] sequences = {TinyWeights.ids(9, 50, seed), TinyWeights.ids(4, 50, seed + 100), TinyWeights.ids(1, 50, seed + 7)};
        float[] logits = model.logits(TokenBatch.of(sequences));
        ReferenceLlama reference = new ReferenceLlama(weights, config);
        int row = 0;
        for (int[] ids : sequences) {
            double[][] expected = reference.logits(ids);
            for (int t = 0; t < ids.length; t++, row++) {
                for (int v = 0; v < config.vocabSize(); v++) {
                    double got = logits[row * config.vocabSize() + v];
                    assertEquals(expected[t][v], got, 1e-4, "token " + t + " logit " + v);
                }
            }
        }
        assertEquals(logits.length, row * config.vocabSize());
    }

    @ParameterizedTest(name = "seed={0}")
    @CsvSource({"11", "12"})
    void aSequenceGivesTheSameLogitsAloneAndPackedWithOthers(long seed) throws Exception {
        LlamaConfig config = TinyWeights.tinyLlama();
        LlamaModel model = LlamaModel.load(WeightSource.of(TinyWeights.llama(config, seed, true, false)), config);
        int[] a = TinyWeights.ids(6, 50, seed);
        int[] b = TinyWeights.ids(5, 50, seed + 1);
        float[] alone = model.logits(TokenBatch.of(b));
        float[] packed = model.logits(TokenBatch.of(a, b));
        int v = config.vocabSize();
        for (int i = 0; i < alone.length; i++) assertEquals(alone[i], packed[a.length * v + i], 1e-5);
    }

    @ParameterizedTest(name = "theta={0}")
    @CsvSource({"10000", "500000"})
    void causalityLaterTokensNeverChangeEarlierLogits(double theta) throws Exception {
        LlamaConfig config = TinyWeights.tinyLlama().withRopeTheta(theta);
        LlamaModel model = LlamaModel.load(WeightSource.of(TinyWeights.llama(config, 21, true, false)), config);
        int[] ids = TinyWeights.ids(8, 50, 3);
        int[] changed = ids.clone();
        changed[7] = (changed[7] + 1) % 50;
        float[] x = model.logits(TokenBatch.of(ids));
        float[] y = model.logits(TokenBatch.of(changed));
        int v = config.vocabSize();
        for (int i = 0; i < 7 * v; i++) assertEquals(x[i], y[i], 0f);
        boolean lastDiffers = false;
        for (int i = 7 * v; i < 8 * v; i++) lastDiffers |= x[i] != y[i];
        assertTrue(lastDiffers, "the changed token changes its own logits");
        assertFalse(Float.isNaN(x[0]));
    }
}
