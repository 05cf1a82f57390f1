package org.nowag.kernels.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole Llama-family causal LM: embeddings, the decoder layers, the head. Two ways to run it:
 * <ul>
 *   <li>{@link #load} keeps every layer in memory and {@link #logits} runs batches through it (evaluation);</li>
 *   <li>{@link #streamLayers} holds one layer at a time: it loads layer i, runs the batch through it and drops it
 *       before loading layer i + 1 (calibration; the observer sees every linear input on the way).</li>
 * </ul>
 * Both give the same numbers: they run the same {@link LlamaLayer} code.
 */
public final class LlamaModel {
    private final LlamaConfig config;
    private final LlamaEmbedding embedding;
    private final List<LlamaLayer> layers;
    private final LlamaHead head;

    private LlamaModel(LlamaConfig config, LlamaEmbedding embedding, List<LlamaLayer> layers, LlamaHead head) {
        this.config = config;
        this.embedding = embedding;
        this.layers = layers;
        this.head = head;
    }

    /** Reads every tensor of the model into memory. */
    public static LlamaModel load(WeightSource source, LlamaConfig config) throws IOException {
        LlamaEmbedding embedding = LlamaEmbedding.load(source, config);
        List<LlamaLayer> layers = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) layers.add(LlamaLayer.load(source, config, i));
        return new LlamaModel(config, embedding, layers, LlamaHead.load(source, config));
    }

    public LlamaConfig config() { return config; }

    public LlamaHead head() { return head; }

    /** The last layer's output (before the final norm). */
    public HiddenStates hiddenStates(TokenBatch batch, LinearInputObserver observer) {
        HiddenStates h = embedding.embed(batch);
        for (LlamaLayer layer : layers) h = layer.forward(h, observer);
        return h;
    }

    /** Logits [tokens x vocab] of the packed batch. */
    public float[] logits(TokenBatch batch) {
        return head.logits(hiddenStates(batch, LinearInputObserver.NONE));
    }

    /**
     * Runs the batch through all layers holding only one layer's weights at a time; returns the last layer's
     * output (feed it to {@link LlamaHead#logits} for logits). The embedding table is read first.
     */
    public static HiddenStates streamLayers(WeightSource source, LlamaConfig config, TokenBatch batch,
                                            LinearInputObserver observer) throws IOException {
        return LayerWalk.llama(source, config, batch).finish(observer);
    }
}
