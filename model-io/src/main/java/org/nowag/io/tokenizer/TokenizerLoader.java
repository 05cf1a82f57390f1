package org.nowag.io.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.text.StrictUtf8;

/**
 * Reads a Hugging Face tokenizer.json (and, when present, tokenizer_config.json for BOS/EOS/PAD) and builds the
 * tokenizer it describes. Supported: models WordPiece and BPE; the normalizers, pre-tokenizers, post-processors
 * and decoders BERT, GPT-2, Llama-2, Llama-3 and Qwen use. Anything else is a {@link TokenizerFormatException}
 * naming the file and the component, never a silently different tokenization.
 */
public final class TokenizerLoader {
    public static final String TOKENIZER_JSON = "tokenizer.json";
    public static final String TOKENIZER_CONFIG_JSON = "tokenizer_config.json";
    /**
     * Vocabularies are JSON objects with 100k+ keys; Jackson's default field-name interning and canonicalization
     * make parsing them several times slower, so both are off.
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build())
            // A repeated vocabulary entry would silently keep one of two ids: a different tokenizer, so an error.
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private TokenizerLoader() {}

    /** A model directory (reads its tokenizer.json) or a tokenizer.json file itself, on any Hadoop FileSystem. */
    public static Tokenizer load(FileSystem fs, Path path) throws IOException {
        Path file = fs.exists(path) && fs.getFileStatus(path).isDirectory() ? new Path(path, TOKENIZER_JSON) : path;
        if (!fs.exists(file)) throw new FileNotFoundException(file + ": no such tokenizer.json");
        Path config = new Path(file.getParent(), TOKENIZER_CONFIG_JSON);
        byte[] configBytes = fs.exists(config) ? readAll(fs, config) : null;
        return fromJson(readAll(fs, file), configBytes, file.toString());
    }

    /** source names the file in error messages. */
    public static Tokenizer fromJson(byte[] tokenizerJson, String source) throws TokenizerFormatException {
        return fromJson(tokenizerJson, null, source);
    }

    public static Tokenizer fromJson(byte[] tokenizerJson, byte[] tokenizerConfigJson, String source)
            throws TokenizerFormatException {
        JsonNode root = parse(tokenizerJson, source);
        JsonNode config = tokenizerConfigJson == null ? null : parse(tokenizerConfigJson, source + " (tokenizer_config.json)");
        JsonNode modelNode = root.get("model");
        if (modelNode == null || !modelNode.isObject()) throw new TokenizerFormatException(source, "no \"model\" object");
        TokenModel model = model(source, modelNode);

        List<AddedToken> added = new ArrayList<>();
        Map<Integer, AddedToken> addedById = new HashMap<>();
        int vocabSize = model.vocab().size();
        JsonNode addedNode = root.get("added_tokens");
        if (addedNode != null && addedNode.isArray()) {
            for (JsonNode a : addedNode) {
                if (!a.path("id").canConvertToInt() || !a.path("content").isTextual()) {
                    throw new TokenizerFormatException(source, "added_tokens entry without integer id and string content: " + a);
                }
                AddedToken t = new AddedToken(a.get("id").asInt(), a.get("content").asText(), Json.optBool(a, "special", false),
                        Json.optBool(a, "lstrip", false), Json.optBool(a, "rstrip", false), Json.optBool(a, "single_word", false));
                added.add(t);
                addedById.put(t.id, t);
                vocabSize = Math.max(vocabSize, t.id + 1);
            }
        }
        Map<String, Integer> allIds = new HashMap<>();
        for (AddedToken t : added) allIds.put(t.content, t.id);
        return new PipelineTokenizer(Normalizers.fromJson(source, root.get("normalizer")),
                PreTokenizers.fromJson(source, root.get("pre_tokenizer")), model,
                SpecialTokenTemplate.fromJson(source, root.get("post_processor")),
                Decoders.fromJson(source, root.get("decoder")), added, addedById, vocabSize,
                special(config, "bos_token", model, allIds, "<s>", "<|begin_of_text|>", "[CLS]"),
                special(config, "eos_token", model, allIds, "</s>", "<|end_of_text|>", "<|endoftext|>", "[SEP]"),
                special(config, "pad_token", model, allIds, "<pad>", "[PAD]", "<|pad|>"));
    }

    private static TokenModel model(String source, JsonNode m) throws TokenizerFormatException {
        String type = m.has("type") ? m.get("type").asText() : inferType(m);
        switch (type) {
            case "WordPiece": {
                Vocab vocab = Vocab.fromJson(source, m);
                String unk = Json.optText(m, "unk_token", "[UNK]");
                int unkId = vocab.id(unk);
                if (unkId < 0) throw new TokenizerFormatException(source, "model.unk_token \"" + unk + "\" is not in model.vocab");
                return new WordPieceModel(vocab, unkId, Json.optText(m, "continuing_subword_prefix", "##"),
                        Json.optInt(m, "max_input_chars_per_word", 100));
            }
            case "BPE": return BpeModel.fromJson(source, m);
            default: throw Json.unsupported(source, "model", type);
        }
    }

    /** Very old files omit model.type; HF then guesses from the fields present. */
    private static String inferType(JsonNode m) {
        if (m.has("merges")) return "BPE";
        if (m.has("continuing_subword_prefix") || m.has("max_input_chars_per_word")) return "WordPiece";
        return "(none)";
    }

    /** From tokenizer_config.json when it names the token, else the first of the usual names the file has. */
    private static OptionalInt special(JsonNode config, String field, TokenModel model, Map<String, Integer> added,
            String... usualNames) {
        if (config != null && config.hasNonNull(field)) {
            JsonNode v = config.get(field);
            String name = v.isTextual() ? v.asText() : v.path("content").asText(null);
            if (name != null) {
                OptionalInt id = idOf(name, model, added);
                if (id.isPresent()) return id;
            }
            return OptionalInt.empty();
        }
        for (String name : usualNames) {
            OptionalInt id = idOf(name, model, added);
            if (id.isPresent()) return id;
        }
        return OptionalInt.empty();
    }

    private static OptionalInt idOf(String name, TokenModel model, Map<String, Integer> added) {
        Integer a = added.get(name);
        if (a != null) return OptionalInt.of(a);
        int id = model.vocab().id(name);
        return id >= 0 ? OptionalInt.of(id) : OptionalInt.empty();
    }

    private static JsonNode parse(byte[] bytes, String source) throws TokenizerFormatException {
        String text;
        try {
            // Jackson's own UTF-8 reading lets some malformed sequences through; a token read leniently is another token.
            text = StrictUtf8.decode(bytes);
        } catch (StrictUtf8.MalformedUtf8Exception e) {
            throw new TokenizerFormatException(source, e.getMessage());
        }
        try {
            JsonNode n = JSON.readTree(text);
            if (n == null || !n.isObject()) throw new TokenizerFormatException(source, "not a JSON object");
            return n;
        } catch (JsonProcessingException e) {
            throw new TokenizerFormatException(source, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new TokenizerFormatException(source, "unreadable: " + e.getMessage());
        }
    }

    private static byte[] readAll(FileSystem fs, Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return in.readAllBytes();
        }
    }
}
