package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.job.cli.NowagCli;

/**
 * Not part of the suite (the name does not end in Test): writes the golden output folders GoldenOutputsTest reads.
 * {@code input/} is a tiny random Llama (1 layer, hidden 8, F16, byte-level tokenizer: a few KB); each format
 * version gets {@code VERSION/magnitude-2of4}, {@code VERSION/nowag-vq} and {@code VERSION/armor}, written by the
 * real {@code nowag compress} of the build that runs this. Run once per new output format version, with
 * {@code -Dgolden.version=vN}, and commit the folders:
 * {@code mvn -B -o -q test -pl tests -am -Dtest=GoldenOutputsWriter -Dsurefire.failIfNoSpecifiedTests=false
 * -Dgolden.version=v1}. Existing folders are never overwritten (an old version must stay what the old build wrote).
 */
class GoldenOutputsWriter {
    static final int HIDDEN = 8;
    static final int FF = 16;
    static final int VOCAB = 256;

    static Path root() {
        return Path.of(System.getProperty("golden.root", "src/test/resources/golden")).toAbsolutePath();
    }

    @Test
    void write() throws IOException {
        String version = System.getProperty("golden.version");
        if (version == null) throw new IllegalStateException("give -Dgolden.version=vN");
        Path input = root().resolve("input");
        if (!Files.exists(input)) writeInput(input);
        Path dir = root().resolve(version);
        Files.createDirectories(dir);
        Map<String, String[]> runs = new LinkedHashMap<>();
        runs.put("magnitude-2of4", new String[] {"--method", "magnitude", "--pattern", "2:4"});
        runs.put("nowag-vq", new String[] {"--method", "nowag-vq", "--vq-dim", "2", "--vq-bits", "2", "--vq-iters", "5"});
        runs.put("armor", new String[] {"--method", "armor", "--armor-block", "4", "--armor-iters", "2"});
        for (Map.Entry<String, String[]> run : runs.entrySet()) {
            Path out = dir.resolve(run.getKey());
            if (Files.exists(out)) continue;
            List<String> args = new ArrayList<>(List.of("compress", "--model", input.toString(), "--out", out.toString(),
                    "--master", "local[1]"));
            args.addAll(List.of(run.getValue()));
            assertEquals(0, NowagCli.run(args.toArray(String[]::new)), String.join(" ", args));
            removeChecksumFiles(out);
        }
    }

    /** Older builds left Hadoop .crc files beside what they wrote; they are no part of the format. */
    static void removeChecksumFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (p.getFileName().toString().endsWith(".crc")) Files.delete(p);
            }
        }
    }

    static void writeInput(Path model) throws IOException {
        Files.createDirectories(model);
        ObjectMapper m = new ObjectMapper();
        ObjectNode config = m.createObjectNode();
        config.putArray("architectures").add("LlamaForCausalLM");
        config.put("model_type", "llama").put("vocab_size", VOCAB).put("hidden_size", HIDDEN).put("intermediate_size", FF)
                .put("num_hidden_layers", 1).put("num_attention_heads", 2).put("num_key_value_heads", 1)
                .put("max_position_embeddings", 64).put("rms_norm_eps", 1e-5).put("hidden_act", "silu")
                .put("torch_dtype", "float16");
        Files.writeString(model.resolve("config.json"), m.writerWithDefaultPrettyPrinter().writeValueAsString(config));
        Files.writeString(model.resolve("generation_config.json"), "{\"max_new_tokens\": 16}\n");
        ObjectNode tok = m.createObjectNode();
        tok.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false).put("use_regex", true);
        tok.putObject("decoder").put("type", "ByteLevel");
        ObjectNode bpe = tok.putObject("model");
        bpe.put("type", "BPE");
        ObjectNode vocab = bpe.putObject("vocab");
        for (int b = 0; b < VOCAB; b++) vocab.put(String.valueOf(TinyLlamaCalibrateEvaluateTest.byteChar(b)), b);
        bpe.putArray("merges");
        Files.writeString(model.resolve("tokenizer.json"), m.writeValueAsString(tok));

        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("model.embed_tokens.weight", new long[] {VOCAB, HIDDEN});
        String p = "model.layers.0.";
        shapes.put(p + "input_layernorm.weight", new long[] {HIDDEN});
        shapes.put(p + "self_attn.q_proj.weight", new long[] {HIDDEN, HIDDEN});
        shapes.put(p + "self_attn.k_proj.weight", new long[] {HIDDEN / 2, HIDDEN});
        shapes.put(p + "self_attn.v_proj.weight", new long[] {HIDDEN / 2, HIDDEN});
        shapes.put(p + "self_attn.o_proj.weight", new long[] {HIDDEN, HIDDEN});
        shapes.put(p + "post_attention_layernorm.weight", new long[] {HIDDEN});
        shapes.put(p + "mlp.gate_proj.weight", new long[] {FF, HIDDEN});
        shapes.put(p + "mlp.up_proj.weight", new long[] {FF, HIDDEN});
        shapes.put(p + "mlp.down_proj.weight", new long[] {HIDDEN, FF});
        shapes.put("model.norm.weight", new long[] {HIDDEN});
        shapes.put("lm_head.weight", new long[] {VOCAB, HIDDEN});
        List<TensorSpec> specs = new ArrayList<>();
        shapes.forEach((n, s) -> specs.add(new TensorSpec(n, DType.F16, s)));
        Random random = new Random(16);
        try (OutputStream out = Files.newOutputStream(model.resolve("model.safetensors"))) {
            SafetensorsWriter.write(out, specs, Map.of(), (spec, o) -> {
                long[] s = spec.shape();
                float[] v = new float[(int) (s.length == 1 ? s[0] : s[0] * s[1])];
                for (int j = 0; j < v.length; j++) {
                    v[j] = s.length == 1 ? 1f + 0.1f * (float) random.nextGaussian() : 0.3f * (float) random.nextGaussian();
                }
                byte[] bytes = new byte[v.length * 2];
                FloatCodec.encode(v, 0, DType.F16, bytes, 0, v.length);
                o.write(bytes);
            });
        }
    }
}
