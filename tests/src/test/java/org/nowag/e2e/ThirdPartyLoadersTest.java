package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.onnx.MiniLmImporter;
import org.nowag.io.onnx.MiniLmOnnxExport;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.tokenizer.Tokenizer;
import org.nowag.io.tokenizer.TokenizerLoader;
import org.nowag.job.cli.NowagCli;
import org.nowag.kernels.model.BertConfig;
import org.nowag.kernels.model.BertEncoder;
import org.nowag.kernels.model.TokenBatch;

/**
 * Third-party code, none of it written here, reads and runs our output: transformers.js (npm
 * {@code @huggingface/transformers}, over onnxruntime-node) loads the pruned MiniLM folder's config and tokenizer files
 * as they are and runs the real upstream ONNX graph carrying our pruned weights; {@code @huggingface/hub}'s
 * safetensors parser reads the headers of every output kind. Both packages come from the npm registry at build time
 * (tests/pom.xml); node runs them; nothing touches the network.
 */
class ThirdPartyLoadersTest {
    static final Path HFJS = Path.of(System.getProperty("nowag.hfjs.dir", "target/hfjs"));
    static final String CAT = "The cat sits on the mat.";
    static final String KITTEN = "A kitten is resting on a rug.";
    static final String LAYER0 = "encoder\\.layer\\.0\\..*\\.weight";

    @TempDir static Path tmp;
    static Path model;
    static Path pruned;

    @BeforeAll
    static void compress() throws IOException {
        assertTrue(Files.exists(HFJS.resolve("node_modules/@huggingface/transformers/package.json")),
                "@huggingface/transformers installed in " + HFJS + " by the build");
        for (String script : List.of("embed.mjs", "parse-safetensors.mjs")) {
            try (InputStream in = ThirdPartyLoadersTest.class.getResourceAsStream("/thirdparty/" + script)) {
                Files.copy(in, HFJS.resolve(script), StandardCopyOption.REPLACE_EXISTING); // beside node_modules
            }
        }
        model = Fixtures.miniLm();
        pruned = tmp.resolve("minilm-p50");
        assertEquals(0, NowagCli.run("compress", "--model", model.toString(), "--out", pruned.toString(),
                "--method", "nowag-p", "--sparsity", "0.5", "--master", "local[2]"));
    }

    @Test
    void transformersJsRunsThePrunedFolderWithTheRealGraphAndMatchesOurForwardPassTo1e4() throws Exception {
        Path models = tmp.resolve("transformers-js");
        Path folder = models.resolve("minilm-p50");
        Files.createDirectories(folder.resolve("onnx"));
        for (String file : List.of("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")) {
            assertTrue(Files.isRegularFile(pruned.resolve(file)), "compress carried " + file + " into the output");
            Files.copy(pruned.resolve(file), folder.resolve(file));
        }
        byte[] onnx;
        try (InputStream in = ThirdPartyLoadersTest.class.getResourceAsStream(MiniLmImporter.ONNX_RESOURCE)) {
            onnx = in.readAllBytes();
        }
        ModelDirectory out = ModelDirectory.open(pruned.toUri().toString(), new Configuration());
        Files.write(folder.resolve("onnx/model.onnx"), MiniLmOnnxExport.withWeights(onnx, spec -> {
            try (SafetensorsFile f = SafetensorsFile.open(out.fileSystem(), out.shardOf(spec.name()))) {
                return f.readBytes(spec.name(), 0, Math.toIntExact(spec.byteSize()));
            }
        }));

        JsonNode js = node(List.of("embed.mjs", models.toString(), "minilm-p50", CAT, KITTEN));
        Tokenizer ours = TokenizerLoader.load(out.fileSystem(), new org.apache.hadoop.fs.Path(pruned.resolve("tokenizer.json").toUri()));
        int[][] ids = {ours.encode(CAT), ours.encode(KITTEN)};
        for (int s = 0; s < 2; s++) {
            assertArrayEquals(ints(js.get("ids").get(s)), ids[s], "transformers.js and our tokenizer give the same ids");
        }

        // The forward pass `nowag evaluate` runs for encoders (BertEncoder: mean pooling, L2 normalization).
        float[][] prunedOurs = embeddings(pruned, ids);
        float[][] denseOurs = embeddings(model, ids);
        for (int s = 0; s < 2; s++) {
            float[] theirs = floats(js.get("embeddings").get(s));
            double diff = maxAbsDiff(theirs, prunedOurs[s]);
            System.out.printf("sentence %d: max |transformers.js - ours| = %.2e, pruning moved it by %.2e%n",
                    s, diff, maxAbsDiff(prunedOurs[s], denseOurs[s]));
            assertTrue(diff <= 1e-4, "sentence " + s + ": max abs difference " + diff);
            // Not vacuous: pruning moved the embedding far more than the tolerance, so the graph ran our weights.
            assertTrue(maxAbsDiff(prunedOurs[s], denseOurs[s]) > 1e-2, "pruning changed the embedding");
        }
    }

    @Test
    void hubParserReadsEveryOutputKindTensorForTensor() throws Exception {
        Path sharded = tmp.resolve("minilm-24-sharded");
        assertEquals(0, NowagCli.run("compress", "--model", model.toString(), "--out", sharded.toString(),
                "--method", "wanda", "--pattern", "2:4", "--shard-mb", "30", "--master", "local[2]"));
        Path vq = tmp.resolve("minilm-vq");
        assertEquals(0, NowagCli.run("compress", "--model", model.toString(), "--out", vq.toString(),
                "--method", "nowag-vq", "--vq-dim", "4", "--vq-bits", "2", "--vq-iters", "2", "--include", LAYER0,
                "--master", "local[2]"));
        Path armor = tmp.resolve("minilm-armor");
        assertEquals(0, NowagCli.run("compress", "--model", model.toString(), "--out", armor.toString(),
                "--method", "armor", "--armor-iters", "1", "--armor-block", "32", "--include", LAYER0, "--master", "local[2]"));
        Path dense = tmp.resolve("minilm-armor-dense");
        assertEquals(0, NowagCli.run("decompress", "--model", armor.toString(), "--out", dense.toString(),
                "--master", "local[2]"));

        for (Path dir : List.of(pruned, sharded, vq, armor, dense)) {
            JsonNode parsed = node(List.of("parse-safetensors.mjs", dir.toString()));
            ModelDirectory ours = ModelDirectory.open(dir.toUri().toString(), new Configuration());
            Map<String, String> expected = new TreeMap<>();
            long params = 0;
            for (TensorInfo t : ours.tensors()) {
                expected.put(t.name(), t.dtype() + " " + Arrays.toString(t.shape()) + " in " + ours.shardOf(t.name()).getName());
                params += Arrays.stream(t.shape()).reduce(1, Math::multiplyExact);
            }
            Map<String, String> theirs = new TreeMap<>();
            parsed.get("tensors").fields().forEachRemaining(e -> theirs.put(e.getKey(), e.getValue().get("dtype").asText()
                    + " " + Arrays.toString(longs(e.getValue().get("shape"))) + " in " + e.getValue().get("file").asText()));
            assertEquals(expected, theirs, dir.getFileName() + ": every tensor, dtype, shape and shard");
            assertEquals(params, parsed.get("parameterSum").asLong(), dir.getFileName() + ": parameter count");
            assertEquals(Files.exists(dir.resolve("model.safetensors.index.json")), parsed.get("sharded").asBoolean(), dir.getFileName() + ": sharded");
        }
    }

    private static float[][] embeddings(Path dir, int[][] ids) throws IOException {
        ModelDirectory m = ModelDirectory.open(dir.toUri().toString(), new Configuration());
        @SuppressWarnings("unchecked")
        Map<String, Object> config = new ObjectMapper().readValue(m.configJson(), Map.class);
        BertEncoder encoder = BertEncoder.load(MiniLmForwardTest.weights(m), BertConfig.fromHf(config));
        return encoder.sentenceEmbeddings(TokenBatch.of(ids));
    }

    private static JsonNode node(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node"));
        command.add(HFJS.resolve(args.get(0)).toString());
        command.addAll(args.subList(1, args.size()));
        ProcessRun run = ProcessRun.run(HFJS, command, 300);
        assertEquals(0, run.exitCode, "node " + args.get(0) + ":\n" + run.output);
        String out = run.output.trim();
        return new ObjectMapper().readTree(out.substring(out.lastIndexOf("\n{") + 1));
    }

    private static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).asInt();
        return r;
    }

    private static long[] longs(JsonNode a) {
        long[] r = new long[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).asLong();
        return r;
    }

    private static float[] floats(JsonNode a) {
        float[] r = new float[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = (float) a.get(i).asDouble();
        return r;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs((double) a[i] - b[i]));
        return m;
    }
}
