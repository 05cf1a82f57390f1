package org.nowag.io.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.onnx.MiniLmImporter;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.io.text.InvalidJsonException;

/** The real MiniLM tokenizer passes; each way of breaking a JSON side file is refused naming the file and the problem. */
class SideFilesTest {
    @TempDir java.nio.file.Path dir;
    Configuration conf;
    byte[] tokenizer;

    @BeforeEach
    void model() throws IOException {
        conf = new Configuration();
        try (java.io.OutputStream out = Files.newOutputStream(dir.resolve(ShardLayout.SINGLE_FILE))) {
            SafetensorsWriter.write(out, List.of(new TensorSpec("w", DType.U8, new long[] {4})), Map.of(), (s, o) -> o.write(new byte[4]));
        }
        Files.writeString(dir.resolve(ModelDirectory.CONFIG_FILE), "{\"model_type\": \"bert\"}");
        try (InputStream in = MiniLmImporter.class.getResourceAsStream(MiniLmImporter.TOKENIZER_RESOURCE)) {
            tokenizer = in.readAllBytes();
        }
        Files.write(dir.resolve("tokenizer.json"), tokenizer);
    }

    void check() throws IOException {
        SideFiles.check(ModelDirectory.open(dir.toUri().toString(), conf));
    }

    void refused(String file, String... words) {
        InvalidJsonException e = assertThrows(InvalidJsonException.class, this::check);
        assertTrue(e.getMessage().contains(file), "names " + file + ": " + e.getMessage());
        for (String w : words) assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
    }

    @Test
    void theRealTokenizerAndOtherWellFormedSideFilesPass() throws IOException {
        Files.writeString(dir.resolve("modules.json"), "[{\"idx\": 0}]");  // sentence-transformers: an array is fine here
        Files.write(dir.resolve("vocab.txt"), new byte[] {(byte) 0xff});   // not JSON: copied as it is, not parsed
        check();
    }

    @Test
    void aTokenizerWithInvalidUtf8IsRefusedAtTheBadByte() throws IOException {
        byte[] bad = tokenizer.clone();
        int at = new String(bad, StandardCharsets.ISO_8859_1).indexOf("\"[PAD]\"") + 2;
        bad[at] = (byte) 0xff;  // inside a vocabulary key: a lenient reader would make it U+FFFD, another token
        Files.write(dir.resolve("tokenizer.json"), bad);
        refused("tokenizer.json", "UTF-8", "byte offset " + at);
    }

    @Test
    void aRepeatedKeyTrailingContentOrAnArrayAreRefused() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"vocab\": {\"a\": 0, \"a\": 1}}}");
        refused("tokenizer.json", "Duplicate field 'a'");
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {}} {}");
        refused("tokenizer.json", "after the top-level value");
        Files.writeString(dir.resolve("tokenizer.json"), "[]");
        refused("tokenizer.json", "not a JSON object");
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": ");
        refused("tokenizer.json", "invalid JSON");
        Files.writeString(dir.resolve("tokenizer.json"), "");
        refused("tokenizer.json", "empty");
    }

    @Test
    void aNestingBombInAnyJsonSideFileIsRefused() throws IOException {
        Files.writeString(dir.resolve("generation_config.json"), "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}");
        refused("generation_config.json", "nesting");
    }

    @Test
    void aSideFileEditedUnderAHadoopChecksumNamesTheCrcFile() throws IOException {
        FileSystem fs = FileSystem.getLocal(conf);
        try (java.io.OutputStream out = fs.create(new Path(dir.toUri().toString(), "tokenizer_config.json"))) {
            out.write("{\"pad_token\": \"[PAD]\"}".getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"pad_token\": \"[UNK]\"}");
        IOException e = assertThrows(IOException.class, this::check);
        assertTrue(e.getMessage().contains("tokenizer_config.json") && e.getMessage().contains(".crc"), e.getMessage());
    }
}
