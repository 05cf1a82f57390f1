package org.nowag.io.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nowag.io.text.StrictUtf8;

/**
 * Parses untrusted JSON (safetensors headers, index files) into a tree with hard limits, so a hostile file fails with
 * a SafetensorsFormatException instead of a StackOverflowError or an ambiguous result.
 */
public final class BoundedJson {
    /** Headers and indexes need 3 levels (object, tensor object, shape array); anything much deeper is an attack. */
    public static final int MAX_NESTING_DEPTH = 8;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build())
            // A repeated key would silently keep the last entry: two tensors of one name must be an error.
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            // Garbage after the object (other than the padding spaces) means a corrupt or misread header.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private BoundedJson() {}

    /** Strict UTF-8 decode then parse; the top level must be an object. */
    public static JsonNode readObject(String file, String what, byte[] utf8) throws SafetensorsFormatException {
        String text;
        try {
            text = StrictUtf8.decode(utf8);
        } catch (StrictUtf8.MalformedUtf8Exception e) {
            throw new SafetensorsFormatException(file, what + " is " + e.getMessage());
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new SafetensorsFormatException(file, what + " JSON nesting too deep or too large: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(file, "invalid JSON in " + what + ": " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode() || !node.isObject()) {
            throw new SafetensorsFormatException(file, "invalid JSON in " + what + ": top level is not an object");
        }
        return node;
    }
}
