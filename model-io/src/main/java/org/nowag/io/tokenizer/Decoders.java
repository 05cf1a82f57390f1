package org.nowag.io.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the "decoder" of a tokenizer.json; an unknown type is a clear error. */
final class Decoders {
    private static final Pattern BYTE_TOKEN = Pattern.compile("<0x([0-9A-Fa-f]{2})>");

    private Decoders() {}

    static Decoder fromJson(String file, JsonNode node) throws TokenizerFormatException {
        if (node == null || node.isNull()) return tokens -> List.of(String.join("", tokens));
        String type = Json.type(file, node, "decoder");
        switch (type) {
            case "ByteLevel": return tokens -> List.of(ByteLevelAlphabet.decode(String.join("", tokens)));
            case "WordPiece": return wordPiece(Json.optText(node, "prefix", "##"), Json.optBool(node, "cleanup", true));
            case "Replace": {
                Pattern p = Patterns.fromJson(file, node.get("pattern"), "decoder Replace");
                String content = Matcher.quoteReplacement(Json.text(file, node, "content", "decoder Replace"));
                return tokens -> {
                    List<String> out = new ArrayList<>(tokens.size());
                    for (String t : tokens) out.add(p.matcher(t).replaceAll(content));
                    return out;
                };
            }
            case "ByteFallback": return Decoders::byteFallback;
            case "Fuse": return tokens -> List.of(String.join("", tokens));
            case "Strip": {
                String content = Json.text(file, node, "content", "decoder Strip");
                int start = Json.optInt(node, "start", 0);
                int stop = Json.optInt(node, "stop", 0);
                return tokens -> {
                    List<String> out = new ArrayList<>(tokens.size());
                    for (String t : tokens) out.add(strip(t, content, start, stop));
                    return out;
                };
            }
            case "Metaspace": {
                String replacement = Json.optText(node, "replacement", "\u2581");
                String scheme = Json.optText(node, "prepend_scheme",
                        Json.optBool(node, "add_prefix_space", true) ? "always" : "never");
                return tokens -> {
                    List<String> out = new ArrayList<>(tokens.size());
                    for (int i = 0; i < tokens.size(); i++) {
                        String t = tokens.get(i).replace(replacement, " ");
                        if (i == 0 && !"never".equals(scheme) && t.startsWith(" ")) t = t.substring(1);
                        out.add(t);
                    }
                    return out;
                };
            }
            case "Sequence": {
                List<Decoder> steps = new ArrayList<>();
                for (JsonNode n : Json.array(file, node, "decoders", "decoder Sequence")) steps.add(fromJson(file, n));
                return tokens -> {
                    List<String> t = tokens;
                    for (Decoder d : steps) t = d.decodeChain(t);
                    return t;
                };
            }
            default: throw Json.unsupported(file, "decoder", type);
        }
    }

    private static Decoder wordPiece(String prefix, boolean cleanup) {
        return tokens -> {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                if (i > 0) t = t.startsWith(prefix) ? t.substring(prefix.length()) : " " + t;
                b.append(t);
            }
            // Cleaned on the joined text: " ' " spans three tokens (don ' t), so per-token cleanup would miss it.
            return List.of(cleanup ? cleanup(b.toString()) : b.toString());
        };
    }

    /** HF's clean_up_tokenization: undo the spaces WordPiece decoding puts before punctuation and contractions. */
    static String cleanup(String s) {
        return s.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",").replace(" ' ", "'")
                .replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s").replace(" 've", "'ve")
                .replace(" 're", "'re");
    }

    /** Runs of <0xNN> tokens become their UTF-8 text; invalid UTF-8 gives one U+FFFD per byte, as in HF. */
    private static List<String> byteFallback(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        int runTokens = 0;
        for (String t : tokens) {
            Matcher m = BYTE_TOKEN.matcher(t);
            if (t.length() == 6 && m.matches()) {
                run.write(Integer.parseInt(m.group(1), 16));
                runTokens++;
                continue;
            }
            if (runTokens > 0) out.add(utf8OrReplacement(run.toByteArray()));
            run.reset();
            runTokens = 0;
            out.add(t);
        }
        if (runTokens > 0) out.add(utf8OrReplacement(run.toByteArray()));
        return out;
    }

    private static String utf8OrReplacement(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return "\uFFFD".repeat(bytes.length);
        }
    }

    private static String strip(String t, String content, int start, int stop) {
        int from = 0;
        for (int i = 0; i < start && t.startsWith(content, from); i++) from += content.length();
        int to = t.length();
        for (int i = 0; i < stop && to - content.length() >= from && t.startsWith(content, to - content.length()); i++) {
            to -= content.length();
        }
        return t.substring(from, to);
    }
}
