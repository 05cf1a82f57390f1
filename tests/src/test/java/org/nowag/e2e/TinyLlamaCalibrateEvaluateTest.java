package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.apache.hadoop.conf.Configuration;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.job.calib.CalibrateOptions;
import org.nowag.job.calib.CalibrationStats;
import org.nowag.job.calib.Calibrator;
import org.nowag.job.calib.ModelWeights;
import org.nowag.job.cli.NowagCli;
import org.nowag.job.eval.EvalOptions;
import org.nowag.job.eval.Evaluation;
import org.nowag.job.eval.Evaluator;
import org.nowag.kernels.model.LlamaModel;
import org.nowag.kernels.model.Perplexity;
import org.nowag.kernels.model.TokenBatch;

/**
 * calibrate and evaluate on the causal-LM path: a tiny random Llama (2 layers, GQA, vocab = the 256 bytes of a
 * byte-level tokenizer with no merges) written as a real HF model directory, with real text (Moby-Dick's start).
 */
class TinyLlamaCalibrateEvaluateTest {
    static final int HIDDEN = 32;
    static final int FF = 64;
    static final int LAYERS = 2;
    static final int VOCAB = 256;

    @TempDir static Path tmp;
    static Path model;
    static Path text;

    @BeforeAll
    static void writeModel() throws IOException {
        model = tmp.resolve("tiny-llama");
        writeLlama(model, new ObjectMapper().createObjectNode(), HIDDEN, FF, LAYERS, 4, 2, 128, DType.F32, 3);
        String moby = Files.readString(Corpora.mobyDick(), StandardCharsets.UTF_8);
        text = Files.writeString(tmp.resolve("moby-start.txt"), moby.substring(0, 600));
    }

    /**
     * A random Llama as a real HF model directory: config.json (config's keys, then the sizes), a byte-level BPE
     * tokenizer.json with no merges (vocabulary = the 256 bytes), and model.safetensors in dtype; norms near 1,
     * matrices normal(0, 0.3), drawn from seed in tensor order.
     */
    static void writeLlama(Path model, ObjectNode config, int hidden, int ff, int layers, int heads, int kvHeads,
                           int positions, DType dtype, long seed) throws IOException {
        Files.createDirectories(model);
        ObjectMapper m = new ObjectMapper();
        config.put("model_type", "llama").put("vocab_size", VOCAB).put("hidden_size", hidden).put("intermediate_size", ff)
                .put("num_hidden_layers", layers).put("num_attention_heads", heads).put("num_key_value_heads", kvHeads)
                .put("max_position_embeddings", positions).put("rms_norm_eps", 1e-5).put("hidden_act", "silu");
        Files.writeString(model.resolve("config.json"), m.writerWithDefaultPrettyPrinter().writeValueAsString(config));
        // Byte-level BPE with no merges: each UTF-8 byte is one token (GPT-2's byte alphabet as the vocabulary).
        ObjectNode tok = m.createObjectNode();
        tok.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false).put("use_regex", true);
        tok.putObject("decoder").put("type", "ByteLevel");
        ObjectNode bpe = tok.putObject("model");
        bpe.put("type", "BPE");
        ObjectNode vocab = bpe.putObject("vocab");
        for (int b = 0; b < 256; b++) vocab.put(String.valueOf(byteChar(b)), b);
        bpe.putArray("merges");
        Files.writeString(model.resolve("tokenizer.json"), m.writeValueAsString(tok));

        int kvRows = hidden / heads * kvHeads;
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("model.embed_tokens.weight", new long[] {VOCAB, hidden});
        for (int i = 0; i < layers; i++) {
            String p = "model.layers." + i + ".";
            shapes.put(p + "input_layernorm.weight", new long[] {hidden});
            shapes.put(p + "self_attn.q_proj.weight", new long[] {hidden, hidden});
            shapes.put(p + "self_attn.k_proj.weight", new long[] {kvRows, hidden});
            shapes.put(p + "self_attn.v_proj.weight", new long[] {kvRows, hidden});
            shapes.put(p + "self_attn.o_proj.weight", new long[] {hidden, hidden});
            shapes.put(p + "post_attention_layernorm.weight", new long[] {hidden});
            shapes.put(p + "mlp.gate_proj.weight", new long[] {ff, hidden});
            shapes.put(p + "mlp.up_proj.weight", new long[] {ff, hidden});
            shapes.put(p + "mlp.down_proj.weight", new long[] {hidden, ff});
        }
        shapes.put("model.norm.weight", new long[] {hidden});
        shapes.put("lm_head.weight", new long[] {VOCAB, hidden});
        List<TensorSpec> specs = new ArrayList<>();
        shapes.forEach((n, s) -> specs.add(new TensorSpec(n, dtype, s)));
        Random random = new Random(seed);
        try (OutputStream out = Files.newOutputStream(model.resolve("model.safetensors"))) {
            SafetensorsWriter.write(out, specs, Map.of(), (spec, o) -> {
                long[] s = spec.shape();
                float[] v = new float[(int) (s.length == 1 ? s[0] : s[0] * s[1])];
                for (int j = 0; j < v.length; j++) {
                    v[j] = s.length == 1 ? 1f + 0.1f * (float) random.nextGaussian() : 0.3f * (float) random.nextGaussian();
                }
                byte[] bytes = new byte[v.length * dtype.bytes()];
                FloatCodec.encode(v, 0, dtype, bytes, 0, v.length);
                o.write(bytes);
            });
        }
    }

    /** GPT-2's byte-to-unicode map: printable Latin-1 bytes map to themselves, the rest to U+0100 onwards. */
    static char byteChar(int b) {
        if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) return (char) b;
        int n = 0;
        for (int x = 0; x < b; x++) {
            if (!((x >= '!' && x <= '~') || (x >= 0xA1 && x <= 0xAC) || (x >= 0xAE && x <= 0xFF))) n++;
        }
        return (char) (256 + n);
    }

    static CalibrationStats calibrate(int partitions) throws IOException {
        CalibrateOptions o = new CalibrateOptions();
        o.out = tmp.resolve("stats-" + partitions + ".safetensors").toString();
        o.model = model.toUri().toString();
        o.texts = List.of(text.toUri().toString());
        o.samples = 6;
        o.seqLen = 48;
        o.seed = 5;
        o.partitions = partitions;
        assertEquals(6 * 48, new Calibrator(Fixtures.spark(), line -> { }).run(o).tokens);
        return CalibrationStats.load(o.out, new Configuration());
    }

    @Test
    void llamaCalibrationCoversEveryLinearWeightAndAgreesAcrossPartitions() throws IOException {
        CalibrationStats one = calibrate(1);
        CalibrationStats three = calibrate(3);
        assertEquals(7 * LAYERS, one.names().size());
        assertEquals(one.names(), three.names());
        for (String name : one.names()) {
            float[] a = one.diagonal(name);
            float[] b = three.diagonal(name);
            assertEquals(name.endsWith("down_proj.weight") ? FF : HIDDEN, a.length, name);
            for (int j = 0; j < a.length; j++) {
                assertTrue(Double.isFinite(a[j]) && a[j] > 0, name + "[" + j + "] = " + a[j]);
                assertEquals(a[j], b[j], 1e-5 * a[j], name + "[" + j + "]");
            }
        }
    }

    static Evaluation evaluate(Path compare, int context, int stride) throws IOException {
        EvalOptions e = new EvalOptions();
        e.model = model.toUri().toString();
        e.compare = compare.toUri().toString();
        e.texts = List.of(text.toUri().toString());
        e.context = context;
        e.stride = stride;
        e.partitions = 2;
        e.out = tmp.resolve("eval-" + context + "-" + stride + "-" + compare.getFileName() + ".json").toString();
        return new Evaluator(Fixtures.spark(), line -> { }).run(e);
    }

    @Test
    void oneWindowPerplexityEqualsADirectForwardPassAndStridedWindowsScoreEveryTokenOnce() throws IOException {
        int n = Files.readString(text).getBytes(StandardCharsets.UTF_8).length;
        Evaluation whole = evaluate(model, 128, 128);
        // A 600-byte text in windows of 128 and stride 128: each window's first token has no context, so is not scored.
        int windows = (n + 127) / 128;
        assertEquals(n - windows, whole.tokensScored);

        ModelWeights w = ModelWeights.open(model.toUri().toString(), new Configuration());
        LlamaModel direct = LlamaModel.load(w.source(), w.llamaConfig());
        int[] ids = new int[n];
        byte[] bytes = Files.readString(text).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < n; i++) ids[i] = bytes[i] & 0xFF;
        Perplexity p = new Perplexity();
        List<Perplexity> perWindow = new java.util.ArrayList<>();
        for (int begin = 0; begin < n; begin += 128) {
            int[] win = java.util.Arrays.copyOfRange(ids, begin, Math.min(n, begin + 128));
            TokenBatch b = TokenBatch.of(win);
            Perplexity one = new Perplexity().addNextTokenLosses(direct.logits(b), VOCAB, b, 1);
            perWindow.add(one);
            p.merge(one);
        }
        // Tasks batch several windows into one GEMM, the direct run one window each: float rounding differs (~1e-8).
        assertEquals(p.perplexity(), whole.originalPerplexity, 1e-6 * p.perplexity());
        // Per window, in window order across the 2 tasks: the same sums as the direct run's windows.
        assertEquals(windows, whole.windowTokens.length);
        for (int i = 0; i < windows; i++) {
            assertEquals(perWindow.get(i).count(), whole.windowTokens[i], "window " + i);
            assertEquals(perWindow.get(i).nllSum(), whole.originalWindowNll[i], 1e-5 * perWindow.get(i).nllSum(), "window " + i);
            assertEquals(whole.originalWindowNll[i], whole.comparedWindowNll[i], 0.0, "window " + i);
        }
        assertEquals(whole.originalPerplexity, whole.comparedPerplexity, 0.0, "a model against itself");

        Evaluation strided = evaluate(model, 96, 32);
        assertEquals(n - 1, strided.tokensScored, "overlapping windows score every token but the first exactly once");
        assertEquals(n - 1, java.util.Arrays.stream(strided.windowTokens).sum());
        assertEquals(strided.originalMeanNll, java.util.Arrays.stream(strided.originalWindowNll).sum() / (n - 1), 1e-9);
        assertEquals(96, strided.context);
        assertEquals(32, strided.stride);
    }

    @Test
    void aPrunedCopyHasADifferentPerplexityAndTheCliPrintsAndWritesIt() throws IOException {
        Path pruned = tmp.resolve("pruned");
        assertEquals(0, NowagCli.run("compress", "--model", model.toString(), "--out", pruned.toString(),
                "--method", "magnitude", "--sparsity", "0.5"));
        assertEquals(0, NowagCli.run("evaluate", "--model", model.toString(), "--compare", pruned.toString(),
                "--text", text.toString(), "--context", "64", "--stride", "32"));
        var json = new ObjectMapper().readTree(Files.readString(pruned.resolve("evaluation.json")));
        assertEquals("causal-lm", json.get("kind").asText());
        assertNotEquals(json.get("originalPerplexity").asDouble(), json.get("comparedPerplexity").asDouble());
        assertTrue(json.get("comparedPerplexity").asDouble() > 1);

        // compare-eval: the evaluation's own pair (pruned minus original), and the pruned model against itself.
        Path within = tmp.resolve("compare-within.json");
        assertEquals(0, NowagCli.run("compare-eval", "--a", pruned.resolve("evaluation.json").toString(), "--out", within.toString()));
        var d = new ObjectMapper().readTree(Files.readString(within)).get("perplexityDifference");
        assertEquals(json.get("comparedPerplexity").asDouble() - json.get("originalPerplexity").asDouble(), d.get("estimate").asDouble(), 1e-9);
        assertTrue(d.get("low").asDouble() <= d.get("estimate").asDouble() && d.get("estimate").asDouble() <= d.get("high").asDouble(), d.toString());
        Path same = tmp.resolve("compare-same.json");
        assertEquals(0, NowagCli.run("compare-eval", "--a", pruned.resolve("evaluation.json").toString(), "--b",
                pruned.resolve("evaluation.json").toString(), "--out", same.toString()));
        var z = new ObjectMapper().readTree(Files.readString(same)).get("perplexityDifference");
        assertEquals(0.0, z.get("low").asDouble(), 0.0);
        assertEquals(0.0, z.get("high").asDouble(), 0.0);
        assertEquals(1, NowagCli.run("compare-eval", "--a", tmp.resolve("nothing.json").toString()), "a missing file");
    }
}
