package org.nowag.io.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/** A model's token-to-id map and its inverse, read from "model.vocab". */
final class Vocab {
    private final Map<String, Integer> ids;
    private final String[] tokens;

    private Vocab(Map<String, Integer> ids, String[] tokens) {
        this.ids = ids;
        this.tokens = tokens;
    }

    static Vocab fromJson(String file, JsonNode model) throws TokenizerFormatException {
        JsonNode v = model.get("vocab");
        if (v == null || !v.isObject()) throw new TokenizerFormatException(file, "model.vocab must be an object");
        Map<String, Integer> ids = new HashMap<>(v.size() * 2);
        int max = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
                throw new TokenizerFormatException(file, "model.vocab[\"" + e.getKey() + "\"] is not a non-negative id");
            }
            int id = e.getValue().asInt();
            ids.put(e.getKey(), id);
            max = Math.max(max, id);
        }
        String[] tokens = new String[max + 1];
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            if (tokens[e.getValue()] != null) {
                throw new TokenizerFormatException(file, "model.vocab gives id " + e.getValue() + " to both \""
                        + tokens[e.getValue()] + "\" and \"" + e.getKey() + "\"");
            }
            tokens[e.getValue()] = e.getKey();
        }
        return new Vocab(ids, tokens);
    }

    /** The id, or -1. */
    int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    /** The token, or null for an id the vocabulary does not hold. */
    String token(int id) {
        return id >= 0 && id < tokens.length ? tokens[id] : null;
    }

    int size() { return tokens.length; }
}
