package org.nowag.io.onnx;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * tokenizer_config.json and special_tokens_map.json for all-MiniLM-L6-v2, with the values of the upstream
 * sentence-transformers repository. transformers.js refuses a folder without tokenizer_config.json (it reads the
 * tokenizer class from it), and Python transformers reads the special tokens and lower-casing from it.
 */
final class MiniLmTokenizerConfig {
    static final String TOKENIZER_CONFIG_FILE = "tokenizer_config.json";
    static final String SPECIAL_TOKENS_FILE = "special_tokens_map.json";

    private MiniLmTokenizerConfig() {}

    static byte[] tokenizerConfigJson() {
        return json(g -> {
            g.writeBooleanField("clean_up_tokenization_spaces", true);
            g.writeStringField("cls_token", "[CLS]");
            g.writeBooleanField("do_basic_tokenize", true);
            g.writeBooleanField("do_lower_case", true);
            g.writeStringField("mask_token", "[MASK]");
            g.writeNumberField("model_max_length", MiniLmArchitecture.MAX_POSITIONS);
            g.writeNullField("never_split");
            g.writeStringField("pad_token", "[PAD]");
            g.writeStringField("sep_token", "[SEP]");
            g.writeNullField("strip_accents");
            g.writeBooleanField("tokenize_chinese_chars", true);
            g.writeStringField("tokenizer_class", "BertTokenizer");
            g.writeStringField("unk_token", "[UNK]");
        });
    }

    static byte[] specialTokensMapJson() {
        return json(g -> {
            g.writeStringField("cls_token", "[CLS]");
            g.writeStringField("mask_token", "[MASK]");
            g.writeStringField("pad_token", "[PAD]");
            g.writeStringField("sep_token", "[SEP]");
            g.writeStringField("unk_token", "[UNK]");
        });
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** One pretty-printed UTF-8 object with a final newline, as transformers' save_pretrained writes it. */
    private static byte[] json(Fields fields) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(buf)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing JSON to memory", e);
        }
        buf.write('\n');
        return buf.toByteArray();
    }
}
