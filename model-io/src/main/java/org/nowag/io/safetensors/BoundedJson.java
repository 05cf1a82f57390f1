package org.nowag.io.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import org.nowag.io.text.InvalidJsonException;
import org.nowag.io.text.StrictJson;

/**
 * Parses untrusted JSON (safetensors headers, index files) into a tree with hard limits ({@link StrictJson}: strict
 * UTF-8, no repeated key, nothing after the object), so a hostile file fails with a SafetensorsFormatException
 * instead of a StackOverflowError or an ambiguous result.
 */
public final class BoundedJson {
    /** Headers and indexes need 3 levels (object, tensor object, shape array); anything much deeper is an attack. */
    public static final int MAX_NESTING_DEPTH = 8;

    private BoundedJson() {}

    /** Strict UTF-8 decode then parse; the top level must be an object. */
    public static JsonNode readObject(String file, String what, byte[] utf8) throws SafetensorsFormatException {
        try {
            return StrictJson.readObject(file, what, utf8, MAX_NESTING_DEPTH);
        } catch (InvalidJsonException e) {
            throw new SafetensorsFormatException(file, e.problem());
        }
    }
}
