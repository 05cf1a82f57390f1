package org.nowag.io.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFilesTest {
    @TempDir java.nio.file.Path dir;

    private static OutputFiles.Action action(String name) {
        return new OutputFiles(List.of()).decide(name, false).action;
    }

    @Test
    void theModelsOwnFilesAreCopied() {
        for (String name : List.of("generation_config.json", "tokenizer.json", "tokenizer_config.json",
                "special_tokens_map.json", "vocab.txt", "merges.txt", "vocab.json", "tokenizer.model",
                "chat_template.jinja", "LICENSE", "LICENSE.txt", "NOTICE", "USE_POLICY.md", "modeling_custom.py",
                "cl100k.tiktoken", "modules.json")) {
            assertEquals(OutputFiles.Action.COPY, action(name), name);
        }
    }

    @Test
    void foreignWeightsEarlierReportsAndHadoopFilesAreLeftOutWithAReason() {
        OutputFiles f = new OutputFiles(List.of());
        for (String name : List.of("pytorch_model.bin", "pytorch_model.bin.index.json", "consolidated.00.pth",
                "model.gguf", "model.onnx", "tf_model.h5", "flax_model.msgpack", "report.json", "report.html",
                "evaluation.json", "evaluation-wikitext.json", "_MANIFEST.json", "_SUCCESS", ".config.json.crc",
                ".gitattributes", "model.parts.arrow", "notes.txt", "tokenizer.json.tmp-0b1c2d3e-0000-0000-0000-000000000000")) {
            OutputFiles.Decision d = f.decide(name, false);
            assertEquals(OutputFiles.Action.LEAVE_OUT, d.action, name);
            assertTrue(d.reason != null && !d.reason.isEmpty(), name);
        }
        assertTrue(f.decide("pytorch_model.bin", false).reason.contains("another format"));
        assertTrue(f.decide("evaluation.json", false).reason.contains("input model"));
        assertTrue(f.decide("original", true).reason.contains("original checkpoint"));
        assertEquals(OutputFiles.Action.LEAVE_OUT, f.decide("1_Pooling", true).action);
    }

    @Test
    void configWeightsReadmeAndProvenanceAreRewrittenNeverCopied() {
        OutputFiles keepAll = new OutputFiles(List.of("*"));
        for (String name : List.of("config.json", "model.safetensors", "model-00001-of-00002.safetensors",
                "model.safetensors.index.json", "README.md", "nowag_provenance.json")) {
            assertEquals(OutputFiles.Action.REWRITE, keepAll.decide(name, false).action, name);
        }
    }

    @Test
    void aKeepGlobCopiesWhatTheRulesLeaveOut() {
        OutputFiles f = new OutputFiles(List.of("*.onnx"));
        assertEquals(OutputFiles.Action.COPY, f.decide("model.onnx", false).action);
        assertEquals(OutputFiles.Action.LEAVE_OUT, f.decide("pytorch_model.bin", false).action);
    }

    @Test
    void aFolderIsListedWithEveryEntryDecided() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        Files.writeString(dir.resolve("pytorch_model.bin"), "x");
        Files.writeString(dir.resolve("config.json"), "{}");
        Files.createDirectories(dir.resolve("original"));
        FileSystem fs = FileSystem.getLocal(new Configuration());
        List<OutputFiles.Decision> all = new OutputFiles(List.of()).decideAll(fs, new Path(dir.toUri().toString()));
        assertEquals(List.of("tokenizer.json"), OutputFiles.copies(all));
        List<String> left = OutputFiles.leftOut(all);
        assertEquals(2, left.size(), left.toString());
        assertTrue(left.get(0).startsWith("original/: "), left.toString());
        assertTrue(left.get(1).startsWith("pytorch_model.bin: "), left.toString());
    }
}
