package org.nowag.io.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * tokenizer.json patterns: {"String": literal} or {"Regex": pattern}. Regexes are compiled with
 * UNICODE_CHARACTER_CLASS because HF's engine (Oniguruma) treats \s, \w and case folding as Unicode; Java's
 * default \s is ASCII only and would split "a\u00A0b" differently.
 */
final class Patterns {
    private Patterns() {}

    static Pattern fromJson(String file, JsonNode pattern, String where) throws TokenizerFormatException {
        if (pattern == null || !pattern.isObject()) throw new TokenizerFormatException(file, where + ": missing \"pattern\"");
        if (pattern.has("String")) return Pattern.compile(Pattern.quote(pattern.get("String").asText()));
        if (pattern.has("Regex")) return regex(file, pattern.get("Regex").asText(), where);
        throw new TokenizerFormatException(file, where + ": pattern must be {\"String\": ...} or {\"Regex\": ...}");
    }

    static Pattern regex(String file, String regex, String where) throws TokenizerFormatException {
        try {
            return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
        } catch (PatternSyntaxException e) {
            throw new TokenizerFormatException(file, where + ": regex does not compile in Java: " + e.getDescription());
        }
    }
}
