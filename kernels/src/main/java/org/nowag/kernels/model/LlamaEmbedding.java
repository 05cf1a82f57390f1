package org.nowag.kernels.model;

import java.io.IOException;

/** model.embed_tokens.weight [vocab x hidden]: token ids to the first hidden states. */
public final class LlamaEmbedding {
    public static final String WEIGHT = "model.embed_tokens.weight";

    private final Tensor table;

    private LlamaEmbedding(Tensor table) {
        this.table = table;
    }

    public static LlamaEmbedding load(WeightSource source, LlamaConfig config) throws IOException {
        return new LlamaEmbedding(source.require(WEIGHT).requireShape(config.vocabSize(), config.hiddenSize()));
    }

    Tensor table() { return table; }

    public HiddenStates embed(TokenBatch batch) {
        int width = table.dim(1);
        float[] x = new float[batch.tokens() * width];
        int row = 0;
        for (int s = 0; s < batch.sequences(); s++) {
            for (int id : batch.ids(s)) EmbeddingTable.copyRow(table, id, x, row++, "token id");
        }
        return HiddenStates.of(x, width, batch);
    }
}
