package org.nowag.kernels.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Running one layer at a time (loading only that layer's tensors) gives exactly the whole forward pass. */
class LayerStreamingTest {

    /** Records the names asked for, so the test can see what each load read. */
    static final class RecordingSource implements WeightSource {
        final Map<String, Tensor> tensors;
        final List<String> asked = new ArrayList<>();

        RecordingSource(Map<String, Tensor> tensors) {
            this.tensors = tensors;
        }

        @Override
        public Tensor find(String name) {
            asked.add(name);
            return tensors.get(name);
        }
    }

    @Test
    void llamaLayerByLayerEqualsWholeForwardAndEachLoadReadsOnlyItsLayer() throws Exception {
        LlamaConfig config = TinyWeights.tinyLlama();
        Map<String, Tensor> weights = TinyWeights.llama(config, 31, true, true);
        TokenBatch batch = TokenBatch.of(TinyWeights.ids(10, 50, 1), TinyWeights.ids(3, 50, 2));
        float[] whole = LlamaModel.load(WeightSource.of(weights), config).logits(batch);

        RecordingSource source = new RecordingSource(weights);
        HiddenStates h = LlamaEmbedding.load(source, config).embed(batch);
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            source.asked.clear();
            h = LlamaLayer.load(source, config, i).forward(h, LinearInputObserver.NONE);
            for (String name : source.asked) assertTrue(name.startsWith("model.layers." + i + "."), name);
            assertEquals(7 + 7 + 2 + 1, source.asked.size(), "7 weights, 7 optional biases, 2 norms, the q_norm probe");
        }
        float[] streamed = LlamaHead.load(source, config).logits(h);
        assertArrayEquals(whole, streamed, 0f);

        float[] viaHelper = LlamaHead.load(source, config).logits(
                LlamaModel.streamLayers(source, config, batch, LinearInputObserver.NONE));
        assertArrayEquals(whole, viaHelper, 0f);
    }

    @Test
    void bertLayerByLayerEqualsWholeEncoder() throws Exception {
        BertConfig config = TinyWeights.tinyBert();
        Map<String, Tensor> weights = TinyWeights.bert(config, 5);
        TokenBatch batch = TokenBatch.of(TinyWeights.ids(7, 40, 1), TinyWeights.ids(4, 40, 2));
        float[] whole = BertEncoder.load(WeightSource.of(weights), config).hiddenStates(batch, LinearInputObserver.NONE).values();
        RecordingSource source = new RecordingSource(weights);
        HiddenStates h = BertEmbeddings.load(source, config).embed(batch);
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            source.asked.clear();
            h = BertLayer.load(source, config, i).forward(h, LinearInputObserver.NONE);
            for (String name : source.asked) assertTrue(name.startsWith("encoder.layer." + i + "."), name);
        }
        assertArrayEquals(whole, h.values(), 0f);
        assertArrayEquals(whole, BertEncoder.streamLayers(source, config, batch, LinearInputObserver.NONE).values(), 0f);
    }
}
