package org.nowag.kernels.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A model whose LM head is all zeros predicts the uniform distribution: perplexity equals the vocabulary size. */
class UniformOutputPerplexityTest {

    @Test
    void zeroLmHeadGivesUniformLogProbabilitiesAndPerplexityEqualToVocabSize() throws Exception {
        LlamaConfig config = TinyWeights.tinyLlama();
        Map<String, Tensor> weights = new HashMap<>(TinyWeights.llama(config, 7, true, false));
        weights.put("lm_head.weight", new Tensor("lm_head.weight", new float[config.vocabSize() * config.hiddenSize()],
                config.vocabSize(), config.hiddenSize()));
        LlamaModel model = LlamaModel.load(WeightSource.of(weights), config);
        TokenBatch batch = TokenBatch.of(TinyWeights.ids(12, 50, 1), TinyWeights.ids(5, 50, 2));
        float[] logits = model.logits(batch);

        for (int row = 0; row < batch.tokens(); row++) {
            double[] logp = TokenLoss.logSoftmax(logits, row, config.vocabSize());
            for (double lp : logp) assertEquals(-Math.log(config.vocabSize()), lp, 1e-12);
        }
        Perplexity ppl = new Perplexity().addNextTokenLosses(logits, config.vocabSize(), batch, 1);
        assertEquals(11 + 4, ppl.count());
        assertEquals(config.vocabSize(), ppl.perplexity(), 1e-6 * config.vocabSize());
    }

    @Test
    void perplexityMergedOverPartsEqualsOnePass() {
        int vocab = 5;
        float[] logits = new float[6 * vocab];
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < logits.length; i++) logits[i] = (float) rnd.nextGaussian();
        TokenBatch all = TokenBatch.of(new int[] {1, 2, 3}, new int[] {4, 0, 2});
        Perplexity whole = new Perplexity().addNextTokenLosses(logits, vocab, all, 1);
        float[] first = java.util.Arrays.copyOfRange(logits, 0, 3 * vocab);
        float[] second = java.util.Arrays.copyOfRange(logits, 3 * vocab, 6 * vocab);
        Perplexity merged = new Perplexity().addNextTokenLosses(first, vocab, TokenBatch.of(new int[] {1, 2, 3}), 1)
                .merge(new Perplexity().addNextTokenLosses(second, vocab, TokenBatch.of(new int[] {4, 0, 2}), 1));
        assertEquals(whole.count(), merged.count());
        assertEquals(whole.perplexity(), merged.perplexity(), 1e-12);
        // per-sequence sums: each equals that sequence scored alone, and the total is unchanged by asking for them
        Perplexity[] each = {new Perplexity(), new Perplexity()};
        Perplexity withParts = new Perplexity().addNextTokenLosses(logits, vocab, all, 1, each);
        assertEquals(whole.nllSum(), withParts.nllSum(), 0.0);
        assertEquals(new Perplexity().addNextTokenLosses(first, vocab, TokenBatch.of(new int[] {1, 2, 3}), 1).nllSum(), each[0].nllSum(), 1e-12);
        assertEquals(new Perplexity().addNextTokenLosses(second, vocab, TokenBatch.of(new int[] {4, 0, 2}), 1).nllSum(), each[1].nllSum(), 1e-12);
        assertEquals(2, each[0].count());
        assertEquals(2, each[1].count());
        // a slow check of one term: -log softmax by the definition
        double z = 0;
        for (int j = 0; j < vocab; j++) z += Math.exp(logits[j]);
        assertEquals(Math.log(z) - logits[2], -TokenLoss.logProbability(logits, 0, vocab, 2), 1e-9);
    }
}
