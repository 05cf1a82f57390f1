package org.nowag.kernels.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole BERT encoder (HF BertModel without the pooler) and sentence embeddings as sentence-transformers makes
 * them for all-MiniLM-L6-v2: mean of the last hidden states over real tokens, then L2-normalized.
 * {@link #load} keeps every layer in memory; {@link #streamLayers} holds one layer at a time (calibration).
 */
public final class BertEncoder {
    private final BertConfig config;
    private final BertEmbeddings embeddings;
    private final List<BertLayer> layers;

    private BertEncoder(BertConfig config, BertEmbeddings embeddings, List<BertLayer> layers) {
        this.config = config;
        this.embeddings = embeddings;
        this.layers = layers;
    }

    public static BertEncoder load(WeightSource source, BertConfig config) throws IOException {
        List<BertLayer> layers = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) layers.add(BertLayer.load(source, config, i));
        return new BertEncoder(config, BertEmbeddings.load(source, config), layers);
    }

    public BertConfig config() { return config; }

    /** last_hidden_state [tokens x hidden] of the packed batch. */
    public HiddenStates hiddenStates(TokenBatch batch, LinearInputObserver observer) {
        HiddenStates h = embeddings.embed(batch);
        for (BertLayer layer : layers) h = layer.forward(h, observer);
        return h;
    }

    /** One L2-normalized mean-pooled embedding per sequence. */
    public float[][] sentenceEmbeddings(TokenBatch batch) {
        return SentencePooling.normalize(SentencePooling.meanPool(hiddenStates(batch, LinearInputObserver.NONE)));
    }

    /** Same as {@link #hiddenStates} holding one layer's weights at a time. */
    public static HiddenStates streamLayers(WeightSource source, BertConfig config, TokenBatch batch,
                                            LinearInputObserver observer) throws IOException {
        return LayerWalk.bert(source, config, batch).finish(observer);
    }
}
