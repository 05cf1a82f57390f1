package org.nowag.job.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.card.ModelCard;
import org.nowag.io.fs.FileDigest;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.model.OutputFiles;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorSpec;

class ModelFolderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = "{\"architectures\": [\"LlamaForCausalLM\"], \"model_type\": \"llama\", "
            + "\"_name_or_path\": \"org/tiny-llama\"}";
    @TempDir java.nio.file.Path tmp;
    final Configuration conf = new Configuration();

    private java.nio.file.Path model(String name, String config) throws IOException {
        java.nio.file.Path dir = Files.createDirectories(tmp.resolve(name));
        List<TensorSpec> specs = List.of(new TensorSpec("model.layers.0.mlp.up_proj.weight", DType.F32, new long[] {2, 4}));
        try (OutputStream out = Files.newOutputStream(dir.resolve("model.safetensors"))) {
            SafetensorsWriter.write(out, specs, Map.of(), (spec, o) -> o.write(new byte[32]));
        }
        Files.writeString(dir.resolve("config.json"), config);
        return dir;
    }

    private ModelFolder.Written write(java.nio.file.Path in, java.nio.file.Path out, ModelFolder.Step step) throws IOException {
        Files.createDirectories(out);
        ModelDirectory input = ModelDirectory.open(in.toUri().toString(), conf);
        FileSystem fs = FileSystem.getLocal(conf);
        return new ModelFolder(fs, new Path(out.toUri().toString()), input, new OutputFiles(List.of())).write(step);
    }

    private static ModelFolder.Step pruned(String method) {
        ModelFolder.Step s = new ModelFolder.Step();
        s.kind = ModelCard.Kind.PRUNED;
        s.method = method;
        s.description.put("method", method).put("pattern", "2:4").put("calibration", "none");
        s.prunedWeights = List.of("model.layers.0.mlp.up_proj.weight");
        s.sparsity = 0.5;
        s.pattern = "2:4";
        s.tool = "nowag-spark test";
        s.started = "2026-12-06T05:00:00Z";
        s.finished = "2026-12-06T05:00:01Z";
        s.commandLine = List.of("nowag", "compress", "--conf", "fs.s3a.secret.key=***");
        return s;
    }

    private static List<String> names(java.nio.file.Path dir) throws IOException {
        try (Stream<java.nio.file.Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void aPrunedOutputGetsTheModelsFilesADenseConfigItsHistoryAndACardAndNothingElse() throws IOException {
        java.nio.file.Path in = model("in", CONFIG);
        Files.writeString(in.resolve("tokenizer.json"), "{}");
        Files.writeString(in.resolve("generation_config.json"), "{}");
        Files.writeString(in.resolve("LICENSE"), "licence text");
        Files.writeString(in.resolve("README.md"), "---\nlicense: apache-2.0\n---\n# base\n");
        Files.writeString(in.resolve("pytorch_model.bin"), "stale");
        Files.writeString(in.resolve("evaluation.json"), "{}");
        Files.writeString(in.resolve("report.json"), "{}");
        Files.createDirectories(in.resolve("original"));
        java.nio.file.Path out = tmp.resolve("out");

        ModelFolder.Written w = write(in, out, pruned("wanda"));

        assertEquals(List.of("LICENSE", "README.md", "config.json", "generation_config.json", "nowag_provenance.json",
                "tokenizer.json"), names(out), "no .crc, no foreign weights, no earlier report or evaluation");
        assertEquals(names(out), w.files.stream().map(d -> d.name).sorted().toList());
        for (FileDigest d : w.files) {
            assertEquals(FileDigest.of(FileSystem.getLocal(conf), new Path(out.resolve(d.name).toUri().toString())), d,
                    "the digest is of the bytes written");
        }
        assertEquals(4, w.leftOut.size(), w.leftOut.toString());
        assertTrue(w.leftOut.stream().anyMatch(s -> s.startsWith("pytorch_model.bin: weights in another format")));
        assertTrue(w.leftOut.stream().anyMatch(s -> s.startsWith("original/: ")));

        JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
        assertEquals("llama", config.get("model_type").asText());
        assertFalse(config.has("compression"));
        assertEquals("[\"model.layers.0.mlp.up_proj\"]", config.get("sparsity_config").get("targets").toString());
        JsonNode history = JSON.readTree(out.resolve("nowag_provenance.json").toFile()).get("history");
        assertEquals(1, history.size());
        assertEquals("wanda", history.get(0).get("method").asText());
        assertEquals("fs.s3a.secret.key=***", history.get(0).get("command_line").get(3).asText());
        String card = Files.readString(out.resolve("README.md"));
        assertTrue(card.contains("base_model: \"org/tiny-llama\""), card);
        assertTrue(card.contains("license: \"apache-2.0\""), "the base's licence is carried over");
        assertTrue(card.contains("| pattern | 2:4 |"), card);
    }

    @Test
    void pruningAPrunedModelKeepsBothStepsOldestFirstAlsoFromAnOldOutput() throws IOException {
        java.nio.file.Path in = model("in", CONFIG);
        java.nio.file.Path first = tmp.resolve("first");
        write(in, first, pruned("wanda"));
        Files.copy(in.resolve("model.safetensors"), first.resolve("model.safetensors"));
        java.nio.file.Path second = tmp.resolve("second");
        write(first, second, pruned("nowag-p"));
        JsonNode history = JSON.readTree(second.resolve("nowag_provenance.json").toFile()).get("history");
        assertEquals(List.of("wanda", "nowag-p"), List.of(history.get(0).get("method").asText(),
                history.get(1).get("method").asText()));
        assertTrue(Files.readString(second.resolve("README.md")).contains("earlier: compress wanda"));

        java.nio.file.Path old = model("old", CONFIG.replace("}", ", \"compression\": {\"method\": \"magnitude\"}}"));
        java.nio.file.Path again = tmp.resolve("again");
        write(old, again, pruned("wanda"));
        history = JSON.readTree(again.resolve("nowag_provenance.json").toFile()).get("history");
        assertEquals(2, history.size());
        assertEquals("magnitude", history.get(0).get("compression").get("method").asText());
        assertFalse(JSON.readTree(again.resolve("config.json").toFile()).has("compression"));
    }

    @Test
    void aRawOutputDeclaresItselfAndDecompressRestoresTheBaseConfig() throws IOException {
        java.nio.file.Path in = model("in", CONFIG);
        java.nio.file.Path raw = tmp.resolve("raw");
        ModelFolder.Step vq = new ModelFolder.Step();
        vq.kind = ModelCard.Kind.RAW_VQ;
        vq.method = "nowag-vq";
        vq.description.put("method", "nowag-vq").put("subvector_dim", 2);
        write(in, raw, vq);
        JsonNode config = JSON.readTree(raw.resolve("config.json").toFile());
        assertEquals("nowag_vq", config.get("model_type").asText());
        assertEquals("nowag-vq", config.get("quantization_config").get("quant_method").asText());
        assertFalse(Files.readString(raw.resolve("README.md")).contains("library_name"));

        Files.copy(in.resolve("model.safetensors"), raw.resolve("model.safetensors"));
        java.nio.file.Path dense = tmp.resolve("dense");
        ModelFolder.Step d = new ModelFolder.Step();
        d.command = "decompress";
        d.kind = ModelCard.Kind.DECOMPRESSED;
        d.method = "nowag-vq";
        write(raw, dense, d);
        assertEquals(JSON.readTree(CONFIG), JSON.readTree(dense.resolve("config.json").toFile()));
        JsonNode history = JSON.readTree(dense.resolve("nowag_provenance.json").toFile()).get("history");
        assertEquals("decompress", history.get(1).get("command").asText());
    }

    @Test
    void withoutConfigAPrunedOutputHasNoneAndARawOneOnlyDeclaresItsFormat() throws IOException {
        java.nio.file.Path in = model("in", CONFIG);
        Files.delete(in.resolve("config.json"));
        java.nio.file.Path out = tmp.resolve("out");
        write(in, out, pruned("magnitude"));
        assertFalse(Files.exists(out.resolve("config.json")));
        ModelFolder.Step armor = new ModelFolder.Step();
        armor.kind = ModelCard.Kind.RAW_ARMOR;
        armor.method = "armor";
        java.nio.file.Path raw = tmp.resolve("raw");
        write(in, raw, armor);
        ObjectNode config = (ObjectNode) JSON.readTree(raw.resolve("config.json").toFile());
        assertEquals("nowag_armor", config.get("model_type").asText());
        assertTrue(config.get("nowag_original").get("model_type").isNull());
    }
}
