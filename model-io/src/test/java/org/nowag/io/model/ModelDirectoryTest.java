package org.nowag.io.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.fs.AtomicFiles;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.SafetensorsFormatException;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.io.safetensors.TestTensors;

class ModelDirectoryTest {
    @TempDir java.nio.file.Path dir;
    FileSystem fs;
    Configuration conf;

    @BeforeEach
    void localFs() throws IOException {
        conf = new Configuration();
        fs = FileSystem.getLocal(conf);
    }

    private Path hadoopPath(String name) {
        return new Path(dir.toUri().toString(), name);
    }

    private String uri() {
        return dir.toUri().toString();
    }

    static final List<TensorSpec> SPECS = List.of(
            new TensorSpec("model.embed_tokens.weight", DType.BF16, new long[] {16, 8}),
            new TensorSpec("model.layers.0.self_attn.q_proj.weight", DType.F32, new long[] {8, 8}),
            new TensorSpec("model.layers.0.mlp.up_proj.weight", DType.F16, new long[] {12, 8}),
            new TensorSpec("model.layers.0.input_layernorm.weight", DType.F32, new long[] {8}),
            new TensorSpec("position_ids", DType.I64, new long[] {1, 20}),
            new TensorSpec("model.norm.weight", DType.BF16, new long[] {8}),
            new TensorSpec("lm_head.weight", DType.F16, new long[] {16, 8}));

    static Map<String, byte[]> data(List<TensorSpec> specs) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) out.put(specs.get(i).name(), TestTensors.randomBytes(specs.get(i), 100 + i, false));
        return out;
    }

    /** The assembly path the Spark job will use: layout, one atomic write per shard, then the index. */
    private ShardLayout writeModel(List<TensorSpec> specs, Map<String, byte[]> data, long maxShardBytes, boolean index) throws IOException {
        ShardLayout layout = ShardLayout.plan(specs, maxShardBytes);
        for (int s = 0; s < layout.shardCount(); s++) {
            List<TensorSpec> shard = layout.shardTensors(s);
            AtomicFiles.write(fs, hadoopPath(layout.shardName(s)),
                    out -> SafetensorsWriter.write(out, shard, Map.of("format", "pt"), (spec, o) -> o.write(data.get(spec.name()))));
        }
        if (index) writeText(ShardLayout.INDEX_FILE, layout.indexJson());
        return layout;
    }

    private void writeText(String name, String text) throws IOException {
        Files.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> listing() throws IOException {
        try (Stream<java.nio.file.Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().collect(Collectors.toList());
        }
    }

    /** Opening fails with a format error whose message holds every given word; the directory is left as it was. */
    private SafetensorsFormatException assertOpenFails(String... words) throws IOException {
        List<String> before = listing();
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> ModelDirectory.open(uri(), conf));
        for (String w : words) assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
        assertEquals(before, listing(), "opening a model writes nothing");
        return e;
    }

    @Test
    void shardedModelWrittenThroughLayoutAndIndexReadsBackTheSame() throws IOException {
        Map<String, byte[]> data = data(SPECS);
        ShardLayout layout = writeModel(SPECS, data, 600, true);
        assertTrue(layout.shardCount() >= 3, "several shards: " + layout.shardCount());
        writeText("config.json", "{\"model_type\":\"llama\"}");
        writeText("tokenizer.json", "{}");
        writeText("generation_config.json", "{}");
        writeText("_SUCCESS", "");
        writeText(".hidden", "");
        Files.createDirectories(dir.resolve("_staging"));

        ModelDirectory model = ModelDirectory.open(uri(), conf);
        assertEquals("file", model.root().toUri().getScheme(), "root is fully qualified");
        assertEquals(SPECS.stream().map(TensorSpec::name).collect(Collectors.toList()),
                model.tensors().stream().map(TensorInfo::name).collect(Collectors.toList()), "shard order then offset order");
        assertEquals("{\"model_type\":\"llama\"}", model.configJson());
        assertEquals(List.of("generation_config.json", "tokenizer.json"),
                model.otherFiles().stream().map(Path::getName).collect(Collectors.toList()));
        assertEquals(layout.shardCount(), model.shards().size());

        for (int s = 0; s < layout.shardCount(); s++) {
            for (TensorSpec spec : layout.shardTensors(s)) {
                TensorInfo t = model.tensor(spec.name());
                assertEquals(spec.dtype(), t.dtype());
                assertArrayEquals(spec.shape(), t.shape());
                Path shard = model.shardOf(spec.name());
                assertEquals(layout.shardName(s), shard.getName());
                try (SafetensorsFile f = SafetensorsFile.open(model.fileSystem(), shard)) {
                    assertEquals("pt", f.header().metadata().get("format"));
                    byte[] want = data.get(spec.name());
                    assertArrayEquals(want, f.readBytes(spec.name(), 0, want.length), spec.name());
                    if (spec.dtype().isFloatConvertible()) {
                        float[] floats = new float[(int) t.numel()];
                        FloatCodec.decode(want, 0, spec.dtype(), floats, 0, floats.length);
                        assertArrayEquals(floats, f.readRowsAsFloat(spec.name(), 0, (int) t.rows()), spec.name());
                    }
                }
            }
        }
    }

    @Test
    void singleFileModelOpensWithoutAnIndex() throws IOException {
        Map<String, byte[]> data = data(SPECS);
        ShardLayout layout = writeModel(SPECS, data, 1L << 30, false);
        assertEquals(1, layout.shardCount());
        ModelDirectory model = ModelDirectory.open(uri(), conf);
        assertEquals(SPECS.size(), model.tensors().size());
        assertEquals("model.safetensors", model.shardOf("lm_head.weight").getName());
        assertNull(model.configJson());
        assertNull(model.tensor("absent"));
        assertThrows(IllegalArgumentException.class, () -> model.shardOf("absent"));
    }

    @Test
    void indexIsPreferredOverASingleFile() throws IOException {
        Map<String, byte[]> data = data(SPECS);
        writeModel(SPECS, data, 600, true);
        writeModel(SPECS.subList(0, 1), data, 1L << 30, false); // a stray model.safetensors
        ModelDirectory model = ModelDirectory.open(uri(), conf);
        assertEquals(SPECS.size(), model.tensors().size());
        assertTrue(model.shardOf(SPECS.get(0).name()).getName().startsWith("model-00001-of-"));
    }

    @Test
    void missingDirectoryIsANotFoundErrorAndIsNotCreated() {
        String missing = dir.resolve("no-such-model").toUri().toString();
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> ModelDirectory.open(missing, conf));
        assertTrue(e.getMessage().contains("no-such-model") && e.getMessage().contains("not found"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("no-such-model")));
    }

    @Test
    void directoryWithoutWeightsListsWhatItFound() throws IOException {
        writeText("config.json", "{}");
        writeText("tokenizer.json", "{}");
        assertOpenFails("model.safetensors", "config.json, tokenizer.json");
    }

    @Test
    void indexNamingAFileOutsideTheDirectoryIsRejected() throws IOException {
        writeModel(SPECS.subList(0, 1), data(SPECS), 1L << 30, false);
        for (String bad : new String[] {"../../etc/passwd", "/etc/passwd", "hdfs://x/y.safetensors", "..\\model.safetensors",
                "sub/model.safetensors", "..", "C:model.safetensors", "tokenizer.json"}) {
            writeText(ShardLayout.INDEX_FILE, "{\"metadata\":{\"total_size\":256},\"weight_map\":{\""
                    + SPECS.get(0).name() + "\":\"" + bad.replace("\\", "\\\\") + "\"}}");
            SafetensorsFormatException e = assertOpenFails(ShardLayout.INDEX_FILE, "shard name", bad);
            assertTrue(e.getMessage().contains("inside the model directory"), e.getMessage());
        }
    }

    @Test
    void indexNamingAMissingShardIsRejected() throws IOException {
        writeModel(SPECS, data(SPECS), 600, true);
        String victim = ShardLayout.plan(SPECS, 600).shardName(1);
        Files.delete(dir.resolve(victim));
        assertOpenFails(victim, "missing");
    }

    @Test
    void indexTensorAbsentFromItsShardHeaderIsRejected() throws IOException {
        ShardLayout layout = writeModel(SPECS, data(SPECS), 600, true);
        String index = new String(Files.readAllBytes(dir.resolve(ShardLayout.INDEX_FILE)), StandardCharsets.UTF_8);
        writeText(ShardLayout.INDEX_FILE, index.replace("\"weight_map\" : {", "\"weight_map\" : {\"ghost.weight\" : \"" + layout.shardName(0) + "\","));
        assertOpenFails("ghost.weight", "missing from the header");
    }

    @Test
    void shardTensorAbsentFromTheIndexIsRejected() throws IOException {
        writeModel(SPECS, data(SPECS), 600, true);
        String index = new String(Files.readAllBytes(dir.resolve(ShardLayout.INDEX_FILE)), StandardCharsets.UTF_8);
        writeText(ShardLayout.INDEX_FILE, index.replaceAll("\\s*\"model.norm.weight\" : \"[^\"]*\",?", ""));
        assertOpenFails("model.norm.weight", "does not list");
    }

    @Test
    void tensorInTwoShardsIsADuplicate() throws IOException {
        Map<String, byte[]> data = data(SPECS);
        // Two shards that both hold "model.norm.weight"; the index maps it to one of them.
        List<TensorSpec> first = List.of(SPECS.get(0), SPECS.get(5));
        List<TensorSpec> second = List.of(SPECS.get(1), SPECS.get(5));
        AtomicFiles.write(fs, hadoopPath("model-00001-of-00002.safetensors"),
                out -> SafetensorsWriter.write(out, first, Map.of(), (s, o) -> o.write(data.get(s.name()))));
        AtomicFiles.write(fs, hadoopPath("model-00002-of-00002.safetensors"),
                out -> SafetensorsWriter.write(out, second, Map.of(), (s, o) -> o.write(data.get(s.name()))));
        writeText(ShardLayout.INDEX_FILE, "{\"weight_map\":{\"" + SPECS.get(0).name() + "\":\"model-00001-of-00002.safetensors\",\""
                + SPECS.get(1).name() + "\":\"model-00002-of-00002.safetensors\",\"model.norm.weight\":\"model-00001-of-00002.safetensors\"}}");
        assertOpenFails("duplicate", "model.norm.weight");
    }

    @Test
    void corruptShardIsReportedByItsName() throws IOException {
        writeModel(SPECS, data(SPECS), 600, true);
        String victim = ShardLayout.plan(SPECS, 600).shardName(2);
        Files.write(dir.resolve(victim), new byte[3]);
        Files.deleteIfExists(dir.resolve("." + victim + ".crc")); // the local checksum would otherwise flag it first
        assertOpenFails(victim, "truncated");
    }

    @Test
    void malformedIndexIsReported() throws IOException {
        writeModel(SPECS.subList(0, 1), data(SPECS), 1L << 30, false);
        writeText(ShardLayout.INDEX_FILE, "{\"metadata\":{}}");
        assertOpenFails(ShardLayout.INDEX_FILE, "weight_map");
        writeText(ShardLayout.INDEX_FILE, "{\"weight_map\":{}}");
        assertOpenFails(ShardLayout.INDEX_FILE, "empty");
        writeText(ShardLayout.INDEX_FILE, "{\"weight_map\":" + "[".repeat(100_000));
        assertOpenFails(ShardLayout.INDEX_FILE, "nesting");
    }

    @Test
    void configJsonMustBeStrictUtf8HoldingOneObjectWithoutRepeatedKeys() throws IOException {
        writeModel(SPECS.subList(0, 1), data(SPECS), 1L << 30, false);
        writeText(ModelDirectory.CONFIG_FILE, "{\"model_type\": \"llama\",\n");
        assertOpenFails(ModelDirectory.CONFIG_FILE, "invalid JSON", "line 2");
        writeText(ModelDirectory.CONFIG_FILE, "[\"llama\"]");
        assertOpenFails(ModelDirectory.CONFIG_FILE, "not an object");
        writeText(ModelDirectory.CONFIG_FILE, "{\"model_type\": \"llama\", \"model_type\": \"bert\"}");
        assertOpenFails(ModelDirectory.CONFIG_FILE, "Duplicate field 'model_type'");
        writeText(ModelDirectory.CONFIG_FILE, "{\"model_type\": \"llama\"} {}");
        assertOpenFails(ModelDirectory.CONFIG_FILE, "invalid JSON");
        Files.write(dir.resolve(ModelDirectory.CONFIG_FILE), new byte[] {'{', '"', 'a', (byte) 0xff, '"', ':', '1', '}'});
        assertOpenFails(ModelDirectory.CONFIG_FILE, "UTF-8", "offset 3");
        writeText(ModelDirectory.CONFIG_FILE, "{\"model_type\": \"llama\", \"rope_scaling\": {\"type\": \"linear\"}}");
        assertEquals("{\"model_type\": \"llama\", \"rope_scaling\": {\"type\": \"linear\"}}",
                ModelDirectory.open(uri(), conf).configJson());
    }

    @Test
    void aDirectoryUnderAFileNameOfTheLayoutIsNamedAsSuch() throws IOException {
        Files.createDirectories(dir.resolve(ShardLayout.SINGLE_FILE));
        assertOpenFails(ShardLayout.SINGLE_FILE, "is a directory");
        Files.delete(dir.resolve(ShardLayout.SINGLE_FILE));

        writeModel(SPECS.subList(0, 1), data(SPECS), 1L << 30, false);
        Files.createDirectories(dir.resolve(ModelDirectory.CONFIG_FILE));
        assertOpenFails(ModelDirectory.CONFIG_FILE, "is a directory");
        Files.delete(dir.resolve(ModelDirectory.CONFIG_FILE));

        Files.createDirectories(dir.resolve("model-00002-of-00002.safetensors"));
        writeText(ShardLayout.INDEX_FILE, "{\"weight_map\":{\"" + SPECS.get(0).name() + "\":\"model-00002-of-00002.safetensors\"}}");
        assertOpenFails("model-00002-of-00002.safetensors", "is a directory");
    }

    @Test
    void anEditedConfigBesideAStaleChecksumFileIsNamedWithTheFix() throws IOException {
        writeModel(SPECS.subList(0, 1), data(SPECS), 1L << 30, false);
        try (java.io.OutputStream out = fs.create(hadoopPath(ModelDirectory.CONFIG_FILE))) {  // writes .config.json.crc
            out.write("{\"model_type\": \"llama\"}".getBytes(StandardCharsets.UTF_8));
        }
        writeText(ModelDirectory.CONFIG_FILE, "{\"model_type\": \"bert\"}");
        IOException e = assertThrows(IOException.class, () -> ModelDirectory.open(uri(), conf));
        assertTrue(e.getMessage().contains(ModelDirectory.CONFIG_FILE) && e.getMessage().contains(".crc"), e.getMessage());
    }
}
