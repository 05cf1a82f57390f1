package org.nowag.io.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Builds the "normalizer" of a tokenizer.json; an unknown type is a clear error. */
final class Normalizers {
    private Normalizers() {}

    static Normalizer fromJson(String file, JsonNode node) throws TokenizerFormatException {
        if (node == null || node.isNull()) return Normalizer.IDENTITY;
        String type = Json.type(file, node, "normalizer");
        switch (type) {
            case "BertNormalizer": {
                JsonNode sa = node.get("strip_accents");
                Boolean strip = sa == null || sa.isNull() ? null : sa.asBoolean();
                return new BertNormalizer(Json.optBool(node, "clean_text", true),
                        Json.optBool(node, "handle_chinese_chars", true), strip, Json.optBool(node, "lowercase", true));
            }
            case "Lowercase": return s -> s.toLowerCase(Locale.ROOT);
            case "StripAccents": return BertNormalizer::stripAccents;
            case "NFC": return s -> java.text.Normalizer.normalize(s, Form.NFC);
            case "NFD": return s -> java.text.Normalizer.normalize(s, Form.NFD);
            case "NFKC": return s -> java.text.Normalizer.normalize(s, Form.NFKC);
            case "NFKD": return s -> java.text.Normalizer.normalize(s, Form.NFKD);
            case "Prepend": {
                String prefix = Json.text(file, node, "prepend", "normalizer");
                // HF prepends only to non-empty text, so an empty input stays empty.
                return s -> s.isEmpty() ? s : prefix + s;
            }
            case "Replace": {
                Pattern p = Patterns.fromJson(file, node.get("pattern"), "normalizer Replace");
                String content = Json.text(file, node, "content", "normalizer Replace");
                String replacement = java.util.regex.Matcher.quoteReplacement(content);
                return s -> p.matcher(s).replaceAll(replacement);
            }
            case "Sequence": {
                List<Normalizer> steps = new ArrayList<>();
                for (JsonNode n : Json.array(file, node, "normalizers", "normalizer Sequence")) steps.add(fromJson(file, n));
                return s -> {
                    String r = s;
                    for (Normalizer n : steps) r = n.normalize(r);
                    return r;
                };
            }
            default: throw Json.unsupported(file, "normalizer", type);
        }
    }
}
