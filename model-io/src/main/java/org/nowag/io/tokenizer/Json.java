package org.nowag.io.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

/** Small checked accessors for tokenizer.json nodes, so every bad field gives an error naming file and field. */
final class Json {
    private Json() {}

    static String type(String file, JsonNode node, String where) throws TokenizerFormatException {
        JsonNode t = node.get("type");
        if (t == null || !t.isTextual()) throw new TokenizerFormatException(file, where + " has no \"type\"");
        return t.asText();
    }

    static String text(String file, JsonNode node, String field, String where) throws TokenizerFormatException {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new TokenizerFormatException(file, where + "." + field + " must be a string");
        }
        return v.asText();
    }

    /** A string field that may be absent or null. */
    static String optText(JsonNode node, String field, String dflt) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? dflt : v.asText();
    }

    static boolean optBool(JsonNode node, String field, boolean dflt) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? dflt : v.asBoolean();
    }

    static int optInt(JsonNode node, String field, int dflt) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? dflt : v.asInt();
    }

    static JsonNode array(String file, JsonNode node, String field, String where) throws TokenizerFormatException {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) throw new TokenizerFormatException(file, where + "." + field + " must be an array");
        return v;
    }

    static TokenizerFormatException unsupported(String file, String where, String type) {
        return new TokenizerFormatException(file, where + " of type \"" + type + "\" is not supported by this reader");
    }
}
