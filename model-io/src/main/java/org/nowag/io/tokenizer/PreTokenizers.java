package org.nowag.io.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Builds the "pre_tokenizer" of a tokenizer.json; an unknown type or option is a clear error. */
final class PreTokenizers {
    private PreTokenizers() {}

    static PreTokenizer fromJson(String file, JsonNode node) throws TokenizerFormatException {
        if (node == null || node.isNull()) return PreTokenizer.NONE;
        String type = Json.type(file, node, "pre_tokenizer");
        switch (type) {
            case "BertPreTokenizer": return new BertPreTokenizer();
            case "ByteLevel":
                return new ByteLevelPreTokenizer(Json.optBool(node, "add_prefix_space", true),
                        Json.optBool(node, "use_regex", true));
            case "Split": {
                if (Json.optBool(node, "invert", false)) {
                    throw new TokenizerFormatException(file, "pre_tokenizer Split with invert=true is not supported");
                }
                Pattern p = Patterns.fromJson(file, node.get("pattern"), "pre_tokenizer Split");
                return new SplitPreTokenizer(p, behavior(file, Json.text(file, node, "behavior", "pre_tokenizer Split")));
            }
            case "Metaspace": {
                String scheme = Json.optText(node, "prepend_scheme",
                        Json.optBool(node, "add_prefix_space", true) ? "always" : "never");
                return new MetaspacePreTokenizer(Json.optText(node, "replacement", "\u2581"), scheme,
                        Json.optBool(node, "split", true));
            }
            case "WhitespaceSplit":
                return new SplitPreTokenizer(Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS),
                        SplitPreTokenizer.Behavior.REMOVED);
            case "Whitespace": {
                Pattern words = Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);
                return (piece, first) -> {
                    List<String> out = new ArrayList<>();
                    var m = words.matcher(piece);
                    while (m.find()) out.add(m.group());
                    return out;
                };
            }
            case "Sequence": {
                List<PreTokenizer> steps = new ArrayList<>();
                for (JsonNode n : Json.array(file, node, "pretokenizers", "pre_tokenizer Sequence")) {
                    steps.add(fromJson(file, n));
                }
                return (piece, first) -> {
                    List<String> pieces = List.of(piece);
                    for (PreTokenizer p : steps) pieces = p.splitAll(pieces, first);
                    return pieces;
                };
            }
            default: throw Json.unsupported(file, "pre_tokenizer", type);
        }
    }

    private static SplitPreTokenizer.Behavior behavior(String file, String b) throws TokenizerFormatException {
        switch (b) {
            case "Isolated": return SplitPreTokenizer.Behavior.ISOLATED;
            case "Removed": return SplitPreTokenizer.Behavior.REMOVED;
            case "MergedWithPrevious": return SplitPreTokenizer.Behavior.MERGED_WITH_PREVIOUS;
            case "MergedWithNext": return SplitPreTokenizer.Behavior.MERGED_WITH_NEXT;
            default: throw new TokenizerFormatException(file, "pre_tokenizer Split behavior \"" + b + "\" is not supported");
        }
    }
}
