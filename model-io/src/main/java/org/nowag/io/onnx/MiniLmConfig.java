package org.nowag.io.onnx;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** config.json for all-MiniLM-L6-v2 as a Hugging Face BertModel (the values of the upstream model's config). */
final class MiniLmConfig {
    private MiniLmConfig() {}

    /** UTF-8 JSON, keys sorted as transformers' save_pretrained writes them, with a final newline. */
    static byte[] json() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(buf)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeArrayFieldStart("architectures");
            g.writeString("BertModel");
            g.writeEndArray();
            g.writeNumberField("attention_probs_dropout_prob", 0.1);
            g.writeStringField("hidden_act", "gelu"); // exact erf GELU, as the ONNX graph's Erf nodes compute
            g.writeNumberField("hidden_dropout_prob", 0.1);
            g.writeNumberField("hidden_size", MiniLmArchitecture.HIDDEN);
            g.writeNumberField("initializer_range", 0.02);
            g.writeNumberField("intermediate_size", MiniLmArchitecture.INTERMEDIATE);
            g.writeNumberField("layer_norm_eps", MiniLmArchitecture.LAYER_NORM_EPS);
            g.writeNumberField("max_position_embeddings", MiniLmArchitecture.MAX_POSITIONS);
            g.writeStringField("model_type", "bert");
            g.writeNumberField("num_attention_heads", MiniLmArchitecture.HEADS);
            g.writeNumberField("num_hidden_layers", MiniLmArchitecture.LAYERS);
            g.writeNumberField("pad_token_id", 0);
            g.writeStringField("position_embedding_type", "absolute");
            g.writeStringField("torch_dtype", "float32");
            g.writeNumberField("type_vocab_size", MiniLmArchitecture.TYPE_VOCAB);
            g.writeNumberField("vocab_size", MiniLmArchitecture.VOCAB);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing JSON to memory", e);
        }
        buf.write('\n');
        return buf.toByteArray();
    }
}
