package org.nowag.io.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What tokenizer.json's "post_processor" adds around a single sequence: ids before it (e.g. [CLS], BOS) and after
 * it (e.g. [SEP]). Pairs of sequences are not needed here and are not read.
 */
final class SpecialTokenTemplate {
    static final SpecialTokenTemplate NONE = new SpecialTokenTemplate(new int[0], new int[0]);

    final int[] before;
    final int[] after;

    SpecialTokenTemplate(int[] before, int[] after) {
        this.before = before;
        this.after = after;
    }

    static SpecialTokenTemplate fromJson(String file, JsonNode node) throws TokenizerFormatException {
        if (node == null || node.isNull()) return NONE;
        String type = Json.type(file, node, "post_processor");
        switch (type) {
            case "ByteLevel": return NONE; // only adjusts offsets, adds no tokens
            case "TemplateProcessing": return template(file, node);
            case "BertProcessing":
            case "RobertaProcessing":
                return new SpecialTokenTemplate(new int[] {pairId(file, node, "cls")}, new int[] {pairId(file, node, "sep")});
            case "Sequence": {
                SpecialTokenTemplate result = NONE;
                for (JsonNode p : Json.array(file, node, "processors", "post_processor Sequence")) {
                    SpecialTokenTemplate t = fromJson(file, p);
                    if (t.before.length + t.after.length > 0) {
                        if (result != NONE) {
                            throw new TokenizerFormatException(file, "post_processor Sequence adds special tokens twice");
                        }
                        result = t;
                    }
                }
                return result;
            }
            default: throw Json.unsupported(file, "post_processor", type);
        }
    }

    private static int pairId(String file, JsonNode node, String field) throws TokenizerFormatException {
        JsonNode p = node.get(field);
        if (p == null || !p.isArray() || p.size() != 2 || !p.get(1).canConvertToInt()) {
            throw new TokenizerFormatException(file, "post_processor." + field + " must be [token, id]");
        }
        return p.get(1).asInt();
    }

    private static SpecialTokenTemplate template(String file, JsonNode node) throws TokenizerFormatException {
        JsonNode single = Json.array(file, node, "single", "post_processor TemplateProcessing");
        JsonNode specials = node.get("special_tokens");
        IntList before = new IntList();
        IntList after = new IntList();
        boolean seenSequence = false;
        for (JsonNode piece : single) {
            if (piece.has("Sequence")) {
                seenSequence = true;
            } else if (piece.has("SpecialToken")) {
                String name = Json.text(file, piece.get("SpecialToken"), "id", "post_processor.single SpecialToken");
                JsonNode spec = specials == null ? null : specials.get(name);
                JsonNode ids = spec == null ? null : spec.get("ids");
                if (ids == null || !ids.isArray()) {
                    throw new TokenizerFormatException(file, "post_processor.special_tokens has no ids for \"" + name + "\"");
                }
                for (JsonNode id : ids) (seenSequence ? after : before).add(id.asInt());
            } else {
                throw new TokenizerFormatException(file, "post_processor.single holds an entry that is neither Sequence nor SpecialToken");
            }
        }
        return new SpecialTokenTemplate(before.toArray(), after.toArray());
    }
}
