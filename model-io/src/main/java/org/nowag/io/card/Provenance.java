package org.nowag.io.card;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@value #FILE}: every step that made an output, oldest first. Each step is an object: the command (compress,
 * decompress), the tool and version, the times, the input and output, and the method's full description (what the
 * private compression block of older outputs held). Compressing an output of ours copies its history and appends the
 * new step, so pruning an already-pruned model keeps both. Outputs written before this file existed carried their one
 * step in config.json ({@link PublishedConfig#LEGACY_BLOCK}, and after decompress {@link
 * PublishedConfig#LEGACY_DECOMPRESSED}); {@link #inherited} turns those into steps too.
 */
public final class Provenance {
    public static final String FILE = "nowag_provenance.json";
    public static final String FORMAT = "nowag-provenance-v1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<ObjectNode> steps;

    private Provenance(List<ObjectNode> steps) {
        this.steps = steps;
    }

    /**
     * The history an input brings: its {@value #FILE} (text, or null when it has none), else the steps its
     * config.json records in the old layout (config may be null: --no-config), else none.
     */
    public static Provenance inherited(String file, String provenanceText, JsonNode config) throws IOException {
        List<ObjectNode> steps = new ArrayList<>();
        if (provenanceText != null) {
            JsonNode root = JSON.readTree(provenanceText);
            JsonNode history = root == null ? null : root.get("history");
            if (history == null || !history.isArray()) {
                throw new IOException(file + ": not a provenance file (no \"history\" array)");
            }
            for (JsonNode step : history) {
                if (!step.isObject()) throw new IOException(file + ": a history entry is not a JSON object");
                steps.add((ObjectNode) step.deepCopy());
            }
            return new Provenance(steps);
        }
        if (config != null) {
            JsonNode legacy = config.get(PublishedConfig.LEGACY_BLOCK);
            JsonNode decompressedFrom = config.get(PublishedConfig.LEGACY_DECOMPRESSED);
            JsonNode block = legacy != null ? legacy : decompressedFrom;
            if (block != null && block.isObject()) {
                ObjectNode step = JSON.createObjectNode();
                step.put("command", "compress");
                if (block.has("tool")) step.set("tool", block.get("tool"));
                step.put("recovered_from", "config.json \"" + (legacy != null ? PublishedConfig.LEGACY_BLOCK
                        : PublishedConfig.LEGACY_DECOMPRESSED) + "\" block of an output written before " + FILE);
                step.set("compression", block.deepCopy());
                steps.add(step);
            }
            if (legacy == null && decompressedFrom != null) {
                ObjectNode step = JSON.createObjectNode();
                step.put("command", "decompress");
                step.put("recovered_from", "config.json \"" + PublishedConfig.LEGACY_DECOMPRESSED + "\"");
                steps.add(step);
            }
        }
        return new Provenance(steps);
    }

    /** This history with one more step at the end (the history itself is not changed). */
    public Provenance then(ObjectNode step) {
        List<ObjectNode> more = new ArrayList<>(steps);
        more.add(step.deepCopy());
        return new Provenance(more);
    }

    public List<ObjectNode> steps() { return Collections.unmodifiableList(steps); }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode history = root.putArray("history");
        steps.forEach(history::add);
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new step's skeleton: command, tool, start and end (ISO-8601 UTC), input and output. */
    public static ObjectNode step(String command, String tool, String started, String finished, String input,
                                  String output) {
        ObjectNode s = JSON.createObjectNode();
        s.put("command", command);
        s.put("tool", tool);
        s.put("started", started);
        s.put("finished", finished);
        s.put("input", input);
        s.put("output", output);
        return s;
    }
}
