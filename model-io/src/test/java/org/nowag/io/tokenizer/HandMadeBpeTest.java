package org.nowag.io.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * Tiny hand-made tokenizer.json files whose encodings are derived by hand in the comments: GPT-2-style byte-level
 * BPE (ByteLevel pre-tokenizer with its built-in regex) and SentencePiece-style BPE (byte fallback, fused unk).
 */
class HandMadeBpeTest {
    private static final ObjectMapper M = new ObjectMapper();

    /** Bytes 0..255 have ids 0..255; "he"=256, "Ġt"=257, "Ġthe"=258; merges (h,e) < (Ġ,t) < (Ġt,he). */
    static ObjectNode gpt2Style() {
        ObjectNode root = M.createObjectNode();
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "ByteLevel").put("add_prefix_space", false).put("use_regex", true);
        root.putObject("decoder").put("type", "ByteLevel");
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        ObjectNode vocab = model.putObject("vocab");
        for (int b = 0; b < 256; b++) vocab.put(String.valueOf(ByteLevelAlphabet.charOf(b)), b);
        vocab.put("he", 256).put("Ġt", 257).put("Ġthe", 258);
        model.putArray("merges").add("h e").add("Ġ t").add("Ġt he");
        ArrayNode added = root.putArray("added_tokens");
        added.addObject().put("id", 259).put("content", "<|endoftext|>").put("special", true);
        return root;
    }

    static Tokenizer load(ObjectNode json, String name) throws Exception {
        return TokenizerLoader.fromJson(M.writeValueAsBytes(json), name);
    }

    @Test
    void byteLevelMergesLowestRankFirst() throws Exception {
        // "the the" splits into "the" and " the". "the": t h e -> (h,e) -> t he; no merge (t,he) -> [116, 256].
        // " the": Ġ t h e -> (h,e) -> Ġ t he -> (Ġ,t) -> Ġt he -> (Ġt,he) -> Ġthe -> [258].
        Tokenizer t = load(gpt2Style(), "gpt2-style.json");
        assertArrayEquals(new int[] {116, 256, 258}, t.encode("the the"));
        assertEquals("the the", t.decode(new int[] {116, 256, 258}));
    }

    @Test
    void byteLevelSplitsContractionsAndMatchesAddedTokensFirst() throws Exception {
        Tokenizer t = load(gpt2Style(), "gpt2-style.json");
        // GPT-2's regex isolates "'s": "it" and "'s" are separate words; no merges apply to them.
        assertArrayEquals(new int[] {'i', 't', '\'', 's'}, t.encode("it's"));
        // The added token is cut out before the regex sees "<|", so it is one id.
        assertArrayEquals(new int[] {116, 256, 259}, t.encode("the<|endoftext|>"));
        // An emoji is four UTF-8 bytes, each its own symbol: F0 9F 98 80.
        assertArrayEquals(new int[] {0xF0, 0x9F, 0x98, 0x80}, t.encode("😀"));
        assertEquals(260, t.vocabSize());
        assertEquals(259, t.eosId().getAsInt());
    }

    /**
     * SentencePiece style: ids 0..2 are &lt;unk&gt; &lt;s&gt; &lt;/s&gt;, &lt;0xNN&gt; = 3 + NN, "▁"=259, "a"=260,
     * "b"=261, "▁a"=262, "ab"=263, "▁ab"=264; merges (▁,a) &lt; (a,b) &lt; (▁a,b).
     */
    static ObjectNode sentencePieceStyle(boolean byteFallback) {
        ObjectNode root = M.createObjectNode();
        ObjectNode norm = root.putObject("normalizer");
        norm.put("type", "Sequence");
        ArrayNode steps = norm.putArray("normalizers");
        steps.addObject().put("type", "Prepend").put("prepend", "▁");
        ObjectNode replace = steps.addObject().put("type", "Replace").put("content", "▁");
        replace.putObject("pattern").put("String", " ");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        post.putArray("single").addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        ((ArrayNode) post.get("single")).addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        post.putObject("special_tokens").putObject("<s>").put("id", "<s>").putArray("ids").add(1);
        ObjectNode dec = root.putObject("decoder");
        dec.put("type", "Sequence");
        ArrayNode ds = dec.putArray("decoders");
        ObjectNode dr = ds.addObject().put("type", "Replace").put("content", " ");
        dr.putObject("pattern").put("String", "▁");
        ds.addObject().put("type", "ByteFallback");
        ds.addObject().put("type", "Fuse");
        ds.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").put("unk_token", "<unk>").put("fuse_unk", true).put("byte_fallback", byteFallback);
        ObjectNode vocab = model.putObject("vocab");
        vocab.put("<unk>", 0).put("<s>", 1).put("</s>", 2);
        for (int b = 0; b < 256; b++) vocab.put(String.format("<0x%02X>", b), 3 + b);
        vocab.put("▁", 259).put("a", 260).put("b", 261).put("▁a", 262).put("ab", 263).put("▁ab", 264);
        model.putArray("merges").add("▁ a").add("a b").add("▁a b");
        ArrayNode added = root.putArray("added_tokens");
        added.addObject().put("id", 0).put("content", "<unk>").put("special", true);
        added.addObject().put("id", 1).put("content", "<s>").put("special", true);
        added.addObject().put("id", 2).put("content", "</s>").put("special", true);
        return root;
    }

    @Test
    void sentencePieceMergesTheWholeNormalizedText() throws Exception {
        // "ab ab" -> "▁ab▁ab": ▁ a b ▁ a b -> (▁,a) twice, leftmost first -> ▁a b ▁a b -> (▁a,b) twice -> ▁ab ▁ab.
        // (a,b) ranks below (▁,a), so it never fires. The template puts <s> first.
        Tokenizer t = load(sentencePieceStyle(true), "spm-style.json");
        assertArrayEquals(new int[] {1, 264, 264}, t.encode("ab ab"));
        assertEquals("ab ab", t.decode(t.encode("ab ab")));
    }

    @Test
    void unknownCharactersFallBackToUtf8ByteTokens() throws Exception {
        // "é" -> "▁é": ▁ is in the vocabulary, é is not: its UTF-8 bytes C3 A9 become <0xC3> <0xA9> = 3+0xC3, 3+0xA9.
        Tokenizer t = load(sentencePieceStyle(true), "spm-style.json");
        assertArrayEquals(new int[] {1, 259, 3 + 0xC3, 3 + 0xA9}, t.encode("é"));
        assertEquals("é", t.decode(t.encode("é")));
    }

    @Test
    void withoutByteFallbackUnknownRunsFuseIntoOneUnk() throws Exception {
        // "éé a" -> "▁éé▁a": ▁ é é ▁ a -> é é fuse into one <unk>; (▁,a) merges -> [▁, <unk>, ▁a].
        Tokenizer t = load(sentencePieceStyle(false), "spm-nofallback.json");
        assertArrayEquals(new int[] {1, 259, 0, 262}, t.encode("éé a"));
    }
    /** The newer SentencePiece layout: no normalizer, a Metaspace pre-tokenizer and decoder instead. */
    static ObjectNode metaspaceStyle(String prependScheme) {
        ObjectNode root = sentencePieceStyle(true);
        root.remove("normalizer");
        root.putObject("pre_tokenizer").put("type", "Metaspace").put("replacement", "▁")
                .put("prepend_scheme", prependScheme).put("split", false);
        root.putObject("decoder").put("type", "Metaspace").put("replacement", "▁").put("prepend_scheme", prependScheme);
        return root;
    }

    @Test
    void metaspaceFirstPrependsOnlyAtTheStartOfTheInput() throws Exception {
        // "ab ab" -> "▁ab▁ab" as before. After the added token </s>, "first" adds no ▁: "ab" -> (a,b) -> ab = 263;
        // "always" adds it: "▁ab" = 264.
        Tokenizer first = load(metaspaceStyle("first"), "metaspace-first.json");
        assertArrayEquals(new int[] {1, 264, 264}, first.encode("ab ab"));
        assertArrayEquals(new int[] {1, 2, 263}, first.encode("</s>ab"));
        assertArrayEquals(new int[] {1, 2, 264}, load(metaspaceStyle("always"), "metaspace-always.json").encode("</s>ab"));
        assertEquals("ab ab", first.decode(first.encode("ab ab")));
    }
}
