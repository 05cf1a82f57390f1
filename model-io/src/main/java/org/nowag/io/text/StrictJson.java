package org.nowag.io.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON as the files a model carries must be read: strict UTF-8 ({@link StrictUtf8}), no repeated key (a lenient
 * parser keeps the last one, so two readers can see two different vocabularies or configs), nothing after the one
 * top-level value but whitespace, and a bounded nesting depth (a nesting bomb is an error, not a StackOverflowError).
 */
public final class StrictJson {
    private static final Map<Integer, ObjectMapper> MAPPERS = new ConcurrentHashMap<>();

    private StrictJson() {}

    /** A mapper with these rules and at most maxDepth nested arrays and objects. */
    public static ObjectMapper mapper(int maxDepth) {
        return MAPPERS.computeIfAbsent(maxDepth, d -> new ObjectMapper(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(d).build())
                .build())
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS));
    }

    /** Parses a small file held whole; the top level must be an object. what names it in messages ("header", "config.json"). */
    public static JsonNode readObject(String file, String what, byte[] utf8, int maxDepth) throws InvalidJsonException {
        String text;
        try {
            text = StrictUtf8.decode(utf8);
        } catch (StrictUtf8.MalformedUtf8Exception e) {
            throw new InvalidJsonException(file, what + " is " + e.getMessage());
        }
        JsonNode node;
        try {
            node = mapper(maxDepth).readTree(text);
        } catch (StreamConstraintsException e) {
            throw new InvalidJsonException(file, what + " JSON nesting too deep or too large: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new InvalidJsonException(file, "invalid JSON in " + what + ": " + e.getOriginalMessage() + where(e.getLocation()));
        }
        if (node == null || node.isMissingNode() || !node.isObject()) {
            throw new InvalidJsonException(file, "invalid JSON in " + what + ": top level is not an object");
        }
        return node;
    }

    /**
     * Reads a file of any size token by token without keeping it, with the same rules; returns the first token (the
     * top-level value's kind) so the caller can require an object. The stream is closed.
     */
    public static JsonToken validate(String file, InputStream in, int maxDepth) throws IOException {
        try (JsonParser p = mapper(maxDepth).getFactory().createParser(StrictUtf8.reader(in))) {
            JsonToken first = p.nextToken();
            if (first == null) throw new InvalidJsonException(file, "empty: no JSON value");
            p.skipChildren();
            JsonToken extra = p.nextToken();
            if (extra != null) {
                throw new InvalidJsonException(file, "invalid JSON: " + extra.asString() + " after the top-level value"
                        + where(p.currentLocation()));
            }
            return first;
        } catch (StrictUtf8.MalformedUtf8Exception e) {
            throw new InvalidJsonException(file, e.getMessage());
        } catch (StreamConstraintsException e) {
            throw new InvalidJsonException(file, "JSON nesting too deep or too large: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new InvalidJsonException(file, "invalid JSON: " + e.getOriginalMessage() + where(e.getLocation()));
        }
    }

    private static String where(JsonLocation at) {
        return at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
}
