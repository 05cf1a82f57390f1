package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.cli.NowagCli;
import org.nowag.job.commit.OutputManifest;

/**
 * Every output format version ever published stays readable: the committed folders under
 * src/test/resources/golden (written by GoldenOutputsWriter with the build of their time, from the committed tiny
 * Llama in golden/input) must still verify against their manifests, be planned by inspect, be decompressed (VQ,
 * ARMOR) back to a model with the input's config and tensor layout, and be evaluated against the input (pruned,
 * decompressed). A change that breaks any of them breaks users' existing outputs.
 */
class GoldenOutputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    static Path golden() {
        return Path.of("src/test/resources/golden").toAbsolutePath();
    }

    static List<Path> versions() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(golden())) {
            s.filter(p -> p.getFileName().toString().matches("v\\d+")).sorted().forEach(out::add);
        }
        assertTrue(out.size() >= 1, "golden folders are committed");
        return out;
    }

    private static void cli(int expected, String... args) {
        assertEquals(expected, NowagCli.run(args), String.join(" ", args));
    }

    private static JsonNode json(Path p) throws IOException {
        return JSON.readTree(Files.readString(p, StandardCharsets.UTF_8));
    }

    @Test
    void everyGoldenFolderHoldsExactlyItsManifestAndInspectPlansIt() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        for (Path v : versions()) {
            for (String kind : List.of("magnitude-2of4", "nowag-vq", "armor")) {
                Path dir = v.resolve(kind);
                assertEquals(List.of(), OutputManifest.verify(fs, new org.apache.hadoop.fs.Path(dir.toUri().toString())),
                        dir.toString());
                cli(0, "inspect", "--model", dir.toString());
            }
        }
    }

    @Test
    void rawFoldersOfEveryVersionDecompressToTheInputsConfigAndLayout() throws IOException {
        Configuration conf = new Configuration();
        JsonNode inputConfig = json(golden().resolve("input/config.json"));
        ModelDirectory input = ModelDirectory.open(golden().resolve("input").toUri().toString(), conf);
        for (Path v : versions()) {
            for (String kind : List.of("nowag-vq", "armor")) {
                Path dense = tmp.resolve(v.getFileName() + "-" + kind);
                cli(0, "decompress", "--model", v.resolve(kind).toString(), "--out", dense.toString(), "--master", "local[1]");
                assertEquals(inputConfig, json(dense.resolve("config.json")), dense + ": the base config, nothing of ours");
                ModelDirectory d = ModelDirectory.open(dense.toUri().toString(), conf);
                assertEquals(input.tensors().size(), d.tensors().size(), dense.toString());
                for (TensorInfo t : input.tensors()) {
                    TensorInfo got = d.tensor(t.name());
                    assertEquals(t.dtype(), got.dtype(), t.name());
                    assertArrayEquals(t.shape(), got.shape(), t.name());
                }
                assertTrue(Files.exists(dense.resolve("tokenizer.json")));
                assertFalse(Files.exists(dense.resolve("report.json")), "the raw folder's report is not the dense one's");
                JsonNode history = json(dense.resolve("nowag_provenance.json")).get("history");
                assertEquals("decompress", history.get(history.size() - 1).get("command").asText());
                assertTrue(history.size() >= 2, "the compress step is kept before it: " + history);

                cli(0, "evaluate", "--model", golden().resolve("input").toString(), "--compare", dense.toString(),
                        "--text", text().toString(), "--context", "32", "--stride", "16", "--out",
                        tmp.resolve(dense.getFileName() + ".json").toString(), "--master", "local[1]");
                double ppl = json(tmp.resolve(dense.getFileName() + ".json")).get("comparedPerplexity").asDouble();
                assertTrue(ppl > 1 && Double.isFinite(ppl), dense + ": perplexity " + ppl);
            }
        }
    }

    @Test
    void prunedFoldersOfEveryVersionAreEvaluatedAgainstTheInput() throws IOException {
        for (Path v : versions()) {
            Path out = tmp.resolve(v.getFileName() + "-pruned.json");
            cli(0, "evaluate", "--model", golden().resolve("input").toString(), "--compare",
                    v.resolve("magnitude-2of4").toString(), "--text", text().toString(), "--context", "32", "--stride", "16",
                    "--out", out.toString(), "--master", "local[1]");
            JsonNode e = json(out);
            assertEquals("causal-lm", e.get("kind").asText());
            assertTrue(e.get("comparedPerplexity").asDouble() > 1, e.toString());
        }
    }

    /**
     * From format version 1 on, the folders say what they are in the keys loaders read (docs/output-format.md cites
     * the transformers and llama.cpp source that then refuses a raw folder): this is the file half of that proof.
     */
    @Test
    void fromVersion1OnPrunedFoldersAreStandardAndRawFoldersDeclareThemselves() throws IOException {
        JsonNode input = json(golden().resolve("input/config.json"));
        int checked = 0;
        for (Path v : versions()) {
            if (Integer.parseInt(v.getFileName().toString().substring(1)) < 1) continue;
            JsonNode pruned = json(v.resolve("magnitude-2of4/config.json"));
            assertEquals(input.get("model_type"), pruned.get("model_type"), v + ": the base's model_type");
            assertEquals(input.get("architectures"), pruned.get("architectures"));
            assertFalse(pruned.has("compression") || pruned.has("quantization_config"), v + ": nothing a loader acts on");
            assertEquals("2:4", pruned.get("sparsity_config").get("sparsity_structure").asText());
            assertEquals("dense", pruned.get("sparsity_config").get("format").asText());
            for (String[] raw : new String[][] {{"nowag-vq", "nowag_vq", "nowag-vq"}, {"armor", "nowag_armor", "armor"}}) {
                JsonNode c = json(v.resolve(raw[0] + "/config.json"));
                // No transformers model type starts with "nowag": AutoConfig finds no class and raises.
                assertEquals(raw[1], c.get("model_type").asText(), v + "/" + raw[0]);
                assertTrue(c.get("architectures").get(0).asText().startsWith("Nowag"), v + "/" + raw[0]);
                assertFalse(c.has("auto_map"), "no remote code path around the refusal");
                assertEquals(raw[2], c.get("quantization_config").get("quant_method").asText());
                assertTrue(c.get("quantization_config").get("format_version").asInt() >= 1);
                assertEquals(input.get("model_type"), c.get("nowag_original").get("model_type"));
            }
            for (String kind : List.of("magnitude-2of4", "nowag-vq", "armor")) {
                assertTrue(Files.readString(v.resolve(kind + "/README.md")).startsWith("---\n"), v + "/" + kind + ": card");
                assertTrue(json(v.resolve(kind + "/nowag_provenance.json")).get("history").size() >= 1);
            }
            checked++;
        }
        assertTrue(checked >= 1, "a version-1 golden folder is committed");
    }

    private Path text() throws IOException {
        Path t = tmp.resolve("moby-start.txt");
        if (!Files.exists(t)) {
            Files.writeString(t, Files.readString(Corpora.mobyDick(), StandardCharsets.UTF_8).substring(0, 400));
        }
        return t;
    }
}
