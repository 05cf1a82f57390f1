package org.nowag.io.card;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * config.json of a published output, derived from the input's. Three kinds:
 * <ul>
 * <li>pruned (and decompressed): the input's keys, a {@link SparsityConfig} for pruned ones, and none of our private
 * keys: a standard dense model that loads unchanged;</li>
 * <li>raw NoWag-VQ or ARMOR: model_type and architectures renamed ({@link RawFormat}), the originals (and any
 * auto_map, whose remote code would otherwise build the base model around our tensors) kept under {@value #ORIGINAL}
 * so decompress restores them, and a {@code quantization_config} with quant_method, format_version
 * and the format's description (for VQ the per-weight dtype and shape decompress rebuilds);</li>
 * <li>restored: a raw config turned back into the base model's (what decompress writes).</li>
 * </ul>
 * The full history of how an output was made is in {@link Provenance}'s file, not here. Outputs written before this
 * layout carried a private {@value #LEGACY_BLOCK} block (and decompressed ones {@value #LEGACY_DECOMPRESSED});
 * {@link #rawFormatOf} still reads them, and every writer here drops them.
 */
public final class PublishedConfig {
    public static final String QUANTIZATION_CONFIG = "quantization_config";
    /** Our key for the base model's model_type and architectures while a raw format replaces them. */
    public static final String ORIGINAL = "nowag_original";
    /** The block outputs carried in config.json before format_version 1. */
    public static final String LEGACY_BLOCK = "compression";
    /** Where decompress put that block before format_version 1. */
    public static final String LEGACY_DECOMPRESSED = "nowag_decompressed_from";

    private PublishedConfig() {}

    /** A pruned output's config: the input's, our old keys gone, the sparsity described in the ecosystem's words. */
    public static ObjectNode pruned(ObjectNode input, SparsityConfig sparsity) {
        ObjectNode c = standard(input);
        c.set(SparsityConfig.KEY, sparsity.toJson());
        return c;
    }

    /**
     * A raw NoWag-VQ or ARMOR output's config. description holds the format's own keys (subvector_dim, tensors
     * with dtype and shape, ...); quant_method and format_version are written first and cannot be overridden by it.
     */
    public static ObjectNode raw(ObjectNode input, RawFormat format, ObjectNode description) {
        ObjectNode c = standard(input);
        c.remove(SparsityConfig.KEY);
        ObjectNode original = c.putObject(ORIGINAL);
        copyOrNull(input, original, "model_type");
        copyOrNull(input, original, "architectures");
        // Remote code named by auto_map would let trust_remote_code=True build the base class around our tensors.
        if (c.has("auto_map")) original.set("auto_map", c.remove("auto_map"));
        c.put("model_type", format.modelType);
        c.putArray("architectures").add(format.architecture);
        ObjectNode q = c.putObject(QUANTIZATION_CONFIG);
        q.put("quant_method", format.quantMethod);
        q.put("format_version", RawFormat.FORMAT_VERSION);
        q.put("format", format.legacyFormat);
        for (Iterator<Map.Entry<String, JsonNode>> it = description.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!q.has(e.getKey())) q.set(e.getKey(), e.getValue().deepCopy());
        }
        return c;
    }

    /** The dense model's config decompress writes: the base model_type and architectures back, our keys gone. */
    public static ObjectNode restored(ObjectNode raw) {
        ObjectNode c = standard(raw);
        JsonNode q = raw.get(QUANTIZATION_CONFIG);
        if (q != null && RawFormat.ofQuantMethod(q.path("quant_method").asText()) != null) c.remove(QUANTIZATION_CONFIG);
        JsonNode original = raw.get(ORIGINAL);
        if (original != null && original.isObject()) {
            for (String key : new String[] {"model_type", "architectures"}) {
                JsonNode v = original.get(key);
                if (v == null || v.isNull()) {
                    c.remove(key);
                } else {
                    c.set(key, v.deepCopy());
                }
            }
            if (original.has("auto_map")) c.set("auto_map", original.get("auto_map").deepCopy());
        }
        c.remove(ORIGINAL);
        return c;
    }

    /** A copy without our private keys (old compression block, old decompress note). */
    private static ObjectNode standard(ObjectNode input) {
        ObjectNode c = input.deepCopy();
        c.remove(LEGACY_BLOCK);
        c.remove(LEGACY_DECOMPRESSED);
        return c;
    }

    private static void copyOrNull(ObjectNode from, ObjectNode to, String key) {
        JsonNode v = from.get(key);
        to.set(key, v == null ? JsonNodeFactory.instance.nullNode() : v.deepCopy());
    }

    /**
     * The raw format a config declares, read from quantization_config (format_version 1) or from an older output's
     * compression block; null for a dense model. A format_version newer than this build's is refused.
     */
    public static Declared rawFormatOf(String file, JsonNode config) {
        JsonNode q = config.path(QUANTIZATION_CONFIG);
        RawFormat f = RawFormat.ofQuantMethod(q.path("quant_method").asText());
        if (f != null) {
            JsonNode version = q.get("format_version");
            if (version == null || !version.canConvertToInt() || version.asInt() < 1) {
                throw new IllegalArgumentException(file + ": quantization_config of quant_method " + f.quantMethod
                        + " has no valid format_version");
            }
            if (version.asInt() > RawFormat.FORMAT_VERSION) {
                throw new IllegalArgumentException(file + ": " + f.quantMethod + " format_version " + version.asInt()
                        + " was written by a newer nowag-spark; this build reads format_version "
                        + RawFormat.FORMAT_VERSION);
            }
            return new Declared(f, q, version.asInt());
        }
        JsonNode legacy = config.path(LEGACY_BLOCK);
        f = RawFormat.ofLegacyFormat(legacy.path("format").asText());
        return f == null ? null : new Declared(f, legacy, 0);
    }

    /** A raw format as a config declares it: the format, the block describing it, and its layout version. */
    public static final class Declared {
        public final RawFormat format;
        /** quantization_config, or the legacy compression block (version 0). */
        public final JsonNode description;
        /** 0 for an output written before format_version existed. */
        public final int version;

        Declared(RawFormat format, JsonNode description, int version) {
            this.format = format;
            this.description = description;
            this.version = version;
        }

        /** Per compressed weight: dtype and shape of the dense weight it replaces (and the format's own keys). */
        public JsonNode tensors() { return description.path("tensors"); }
    }

    /** The input's model_type (the base's when the input is a raw output), or null. */
    public static String baseModelType(JsonNode config) {
        JsonNode original = config.path(ORIGINAL).path("model_type");
        if (original.isTextual()) return original.asText();
        JsonNode t = config.path("model_type");
        return t.isTextual() ? t.asText() : null;
    }

    /** The input's architectures (the base's when the input is a raw output); empty when absent. */
    public static ArrayNode baseArchitectures(JsonNode config) {
        JsonNode a = config.path(ORIGINAL).path("architectures");
        if (!a.isArray()) a = config.path("architectures");
        return a.isArray() ? (ArrayNode) a : JsonNodeFactory.instance.arrayNode();
    }
}
