package org.nowag.tools.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a trained byte-level BPE as Hugging Face files: tokenizer.json (GPT-2's layout: ByteLevel pre-tokenizer
 * without prefix space, ByteLevel decoder, BPE model, the special tokens as added tokens) and tokenizer_config.json
 * (the first special token as BOS, EOS and UNK; no BOS added by the tokenizer itself).
 */
public final class TokenizerFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TokenizerFiles() {}

    public static void write(BpeTrainer.Result bpe, int maxLength, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("tokenizer.json"), JSON.writeValueAsBytes(tokenizerJson(bpe)));
        Files.write(dir.resolve("tokenizer_config.json"), JSON.writeValueAsBytes(tokenizerConfig(bpe, maxLength)));
    }

    static Map<String, Object> tokenizerJson(BpeTrainer.Result bpe) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "1.0");
        root.put("truncation", null);
        root.put("padding", null);
        List<Object> added = new ArrayList<>();
        for (String s : bpe.specialTokens()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", bpe.vocab().get(s));
            t.put("content", s);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
            added.add(t);
        }
        root.put("added_tokens", added);
        root.put("normalizer", null);
        root.put("pre_tokenizer", byteLevel(false, true));
        root.put("post_processor", byteLevel(true, false));
        root.put("decoder", byteLevel(true, true));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        model.put("vocab", bpe.vocab());
        List<List<String>> merges = new ArrayList<>();
        for (String[] m : bpe.merges()) merges.add(List.of(m[0], m[1]));
        model.put("merges", merges);
        root.put("model", model);
        return root;
    }

    private static Map<String, Object> byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "ByteLevel");
        m.put("add_prefix_space", addPrefixSpace);
        m.put("trim_offsets", trimOffsets);
        m.put("use_regex", true);
        return m;
    }

    static Map<String, Object> tokenizerConfig(BpeTrainer.Result bpe, int maxLength) {
        String special = bpe.specialTokens().get(0);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("tokenizer_class", "PreTrainedTokenizerFast");
        c.put("bos_token", special);
        c.put("eos_token", special);
        c.put("unk_token", special);
        c.put("add_bos_token", false);
        c.put("add_eos_token", false);
        c.put("model_max_length", maxLength);
        c.put("clean_up_tokenization_spaces", false);
        return c;
    }
}
