package org.nowag.io.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading from a model directory, and clear errors (naming the file and the part) for what is not supported. */
class TokenizerLoaderTest {
    private static final ObjectMapper M = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void loadsTokenizerJsonFromAModelDirectoryAndSpecialTokensFromItsConfig() throws Exception {
        Files.write(dir.resolve("tokenizer.json"), RealTokenizers.bytes(RealTokenizers.MINILM));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"[MASK]\", \"pad_token\": {\"content\": \"[UNK]\"}}");
        Tokenizer t = TokenizerLoader.load(FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(dir.toUri()));
        assertArrayEquals(new int[] {101, 2655, 2033, 2003, 22444, 2884, 1012, 102}, t.encode("Call me Ishmael."));
        assertEquals(103, t.bosId().getAsInt());
        assertEquals(100, t.padId().getAsInt());
        assertEquals(102, t.eosId().getAsInt()); // not in the config: found by its usual name
    }

    @Test
    void aMissingFileNamesThePath() {
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> TokenizerLoader.load(
                FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(dir.toUri() + "/absent.json")));
        assertTrue(e.getMessage().contains("absent.json"), e.getMessage());
    }

    private static String error(ObjectNode json, String name) {
        return assertThrows(TokenizerFormatException.class,
                () -> TokenizerLoader.fromJson(M.writeValueAsBytes(json), name)).getMessage();
    }

    @Test
    void unsupportedModelTypeIsAClearError() {
        ObjectNode json = M.createObjectNode();
        json.putObject("model").put("type", "Unigram");
        String msg = error(json, "t5/tokenizer.json");
        assertTrue(msg.startsWith("t5/tokenizer.json: ") && msg.contains("model") && msg.contains("Unigram"), msg);
    }

    @Test
    void unsupportedNormalizerIsAClearError() {
        ObjectNode json = HandMadeBpeTest.gpt2Style();
        json.putObject("normalizer").put("type", "Precompiled");
        String msg = error(json, "x.json");
        assertTrue(msg.startsWith("x.json: ") && msg.contains("normalizer") && msg.contains("Precompiled"), msg);
    }

    @Test
    void mergeOfAnUnknownTokenIsAClearError() {
        ObjectNode json = HandMadeBpeTest.gpt2Style();
        ((com.fasterxml.jackson.databind.node.ArrayNode) json.get("model").get("merges")).add("zz q");
        String msg = error(json, "bad-merges.json");
        assertTrue(msg.startsWith("bad-merges.json: ") && msg.contains("model.merges[3]"), msg);
    }

    @Test
    void wordPieceWithoutItsUnkTokenIsAClearError() {
        ObjectNode json = M.createObjectNode();
        json.putObject("model").put("type", "WordPiece").put("unk_token", "[UNK]").putObject("vocab").put("a", 0);
        String msg = error(json, "wp.json");
        assertTrue(msg.contains("wp.json") && msg.contains("[UNK]"), msg);
    }

    @Test
    void invalidJsonIsAClearError() {
        String msg = assertThrows(TokenizerFormatException.class, () -> TokenizerLoader.fromJson(
                "{\"model\": ".getBytes(StandardCharsets.UTF_8), "cut.json")).getMessage();
        assertTrue(msg.startsWith("cut.json: not valid JSON"), msg);
    }

    @Test
    void decodingAnIdOutsideTheVocabularyIsRefused() throws Exception {
        Tokenizer t = HandMadeBpeTest.load(HandMadeBpeTest.gpt2Style(), "gpt2-style.json");
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {5000}));
    }
}
