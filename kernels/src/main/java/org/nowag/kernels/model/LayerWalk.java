package org.nowag.kernels.model;

import java.io.IOException;

/**
 * A forward pass that advances one transformer layer per {@link #step} (reading that layer's weights, running the
 * batch through it, dropping them): the caller decides when the next layer runs, so it can hand on what it observed
 * in one layer before the next one starts. {@link BertEncoder#streamLayers} and {@link LlamaModel#streamLayers}
 * are this walk run to the end.
 */
public final class LayerWalk {
    /** Loads layer i and runs hidden states through it. */
    @FunctionalInterface
    interface Layer {
        HiddenStates forward(int index, HiddenStates in, LinearInputObserver observer) throws IOException;
    }

    private final int layers;
    private final Layer layer;
    private HiddenStates hidden;
    private int next;

    LayerWalk(HiddenStates embedded, int layers, Layer layer) {
        this.hidden = embedded;
        this.layers = layers;
        this.layer = layer;
    }

    /** BERT: the embeddings are read and applied now; each step is one encoder layer. */
    public static LayerWalk bert(WeightSource source, BertConfig config, TokenBatch batch) throws IOException {
        return new LayerWalk(BertEmbeddings.load(source, config).embed(batch), config.numHiddenLayers(),
                (i, h, observer) -> BertLayer.load(source, config, i).forward(h, observer));
    }

    /** Llama: the embedding table is read and applied now; each step is one decoder layer. */
    public static LayerWalk llama(WeightSource source, LlamaConfig config, TokenBatch batch) throws IOException {
        return new LayerWalk(LlamaEmbedding.load(source, config).embed(batch), config.numHiddenLayers(),
                (i, h, observer) -> LlamaLayer.load(source, config, i).forward(h, observer));
    }

    public boolean hasNext() { return next < layers; }

    /** Index of the layer the next {@link #step} runs. */
    public int nextLayer() { return next; }

    /** Runs the next layer; the observer sees the input of each of its linear weights. */
    public void step(LinearInputObserver observer) throws IOException {
        if (!hasNext()) throw new IllegalStateException("all " + layers + " layers have run");
        hidden = layer.forward(next, hidden, observer);
        next++;
    }

    /** The hidden states after the layers run so far. */
    public HiddenStates hidden() { return hidden; }

    /** Runs every remaining layer; returns the last layer's output. */
    public HiddenStates finish(LinearInputObserver observer) throws IOException {
        while (hasNext()) step(observer);
        return hidden;
    }
}
