package org.nowag.kernels.model;

import java.io.IOException;

/** BERT input: LayerNorm(word + position + token type embeddings); positions 0, 1, ... per sequence. */
public final class BertEmbeddings {
    private final BertConfig config;
    private final Tensor words;
    private final Tensor positions;
    private final Tensor types;
    private final float[] gamma;
    private final float[] beta;

    private BertEmbeddings(BertConfig config, Tensor words, Tensor positions, Tensor types, float[] gamma, float[] beta) {
        this.config = config;
        this.words = words;
        this.positions = positions;
        this.types = types;
        this.gamma = gamma;
        this.beta = beta;
    }

    public static BertEmbeddings load(WeightSource source, BertConfig config) throws IOException {
        String p = config.tensorPrefix() + "embeddings.";
        int d = config.hiddenSize();
        return new BertEmbeddings(config,
                source.require(p + "word_embeddings.weight").requireShape(config.vocabSize(), d),
                source.require(p + "position_embeddings.weight").requireShape(config.maxPositionEmbeddings(), d),
                source.require(p + "token_type_embeddings.weight").requireShape(config.typeVocabSize(), d),
                source.require(p + "LayerNorm.weight").requireShape(d).values(),
                source.require(p + "LayerNorm.bias").requireShape(d).values());
    }

    public HiddenStates embed(TokenBatch batch) {
        int d = config.hiddenSize();
        float[] x = new float[batch.tokens() * d];
        int row = 0;
        for (int s = 0; s < batch.sequences(); s++) {
            int[] ids = batch.ids(s);
            if (ids.length > config.maxPositionEmbeddings()) {
                throw new IllegalArgumentException("sequence " + s + " has " + ids.length
                        + " tokens; max_position_embeddings is " + config.maxPositionEmbeddings());
            }
            for (int t = 0; t < ids.length; t++, row++) {
                EmbeddingTable.copyRow(words, ids[t], x, row, "token id");
                EmbeddingTable.addRow(positions, t, x, row, "position");
                EmbeddingTable.addRow(types, batch.typeId(s, t), x, row, "token type id");
            }
        }
        return HiddenStates.of(Norms.layerNorm(x, d, gamma, beta, config.layerNormEps()), d, batch);
    }
}
