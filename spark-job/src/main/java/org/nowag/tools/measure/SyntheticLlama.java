package org.nowag.tools.measure;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.model.ShardLayout;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorSpec;

/**
 * A Llama-shaped BF16 model with random weights and real Llama tensor names, for benchmarks: TinyLlama-1.1B's widths
 * (hidden 2048, MLP 5632, 32 heads, 4 KV heads, vocab 32000) and as many layers as fit the requested size.
 */
public final class SyntheticLlama {
    public static final int HIDDEN = 2048;
    public static final int INTERMEDIATE = 5632;
    public static final int HEADS = 32;
    public static final int KV_HEADS = 4;
    public static final int VOCAB = 32000;

    private SyntheticLlama() {}

    public static int layersFor(long targetBytes) {
        long fixed = 2L * VOCAB * HIDDEN * 2 + HIDDEN * 2L;
        long perLayer = layerSpecs(0).stream().mapToLong(TensorSpec::byteSize).sum();
        return (int) Math.max(1, Math.round((targetBytes - fixed) / (double) perLayer));
    }

    public static List<TensorSpec> specs(int layers) {
        List<TensorSpec> specs = new ArrayList<>();
        specs.add(new TensorSpec("model.embed_tokens.weight", DType.BF16, new long[]{VOCAB, HIDDEN}));
        for (int l = 0; l < layers; l++) specs.addAll(layerSpecs(l));
        specs.add(new TensorSpec("model.norm.weight", DType.BF16, new long[]{HIDDEN}));
        specs.add(new TensorSpec("lm_head.weight", DType.BF16, new long[]{VOCAB, HIDDEN}));
        return specs;
    }

    private static List<TensorSpec> layerSpecs(int l) {
        String p = "model.layers." + l + ".";
        int kv = HIDDEN / HEADS * KV_HEADS;
        return List.of(
                new TensorSpec(p + "input_layernorm.weight", DType.BF16, new long[]{HIDDEN}),
                new TensorSpec(p + "self_attn.q_proj.weight", DType.BF16, new long[]{HIDDEN, HIDDEN}),
                new TensorSpec(p + "self_attn.k_proj.weight", DType.BF16, new long[]{kv, HIDDEN}),
                new TensorSpec(p + "self_attn.v_proj.weight", DType.BF16, new long[]{kv, HIDDEN}),
                new TensorSpec(p + "self_attn.o_proj.weight", DType.BF16, new long[]{HIDDEN, HIDDEN}),
                new TensorSpec(p + "post_attention_layernorm.weight", DType.BF16, new long[]{HIDDEN}),
                new TensorSpec(p + "mlp.gate_proj.weight", DType.BF16, new long[]{INTERMEDIATE, HIDDEN}),
                new TensorSpec(p + "mlp.up_proj.weight", DType.BF16, new long[]{INTERMEDIATE, HIDDEN}),
                new TensorSpec(p + "mlp.down_proj.weight", DType.BF16, new long[]{HIDDEN, INTERMEDIATE}));
    }

    /** Writes config.json, the shards and (for several shards) the index into dir. Returns the tensor bytes written. */
    public static long write(FileSystem fs, Path dir, int layers, long maxShardBytes, long seed) throws IOException {
        fs.mkdirs(dir);
        List<TensorSpec> specs = specs(layers);
        ShardLayout layout = ShardLayout.plan(specs, maxShardBytes);
        SplittableRandom random = new SplittableRandom(seed);
        long total = 0;
        for (int s = 0; s < layout.shardCount(); s++) {
            try (FSDataOutputStream out = fs.create(new Path(dir, layout.shardName(s)), false)) {
                SafetensorsWriter.write(out, layout.shardTensors(s), Map.of("format", "pt"),
                        (spec, o) -> writeRandom(spec, o, random.split()));
            }
            total += layout.shardTensors(s).stream().mapToLong(TensorSpec::byteSize).sum();
        }
        if (layout.shardCount() > 1) {
            try (FSDataOutputStream out = fs.create(new Path(dir, "model.safetensors.index.json"), false)) {
                out.write(layout.indexJson().getBytes(StandardCharsets.UTF_8));
            }
        }
        try (FSDataOutputStream out = fs.create(new Path(dir, "config.json"), false)) {
            out.write(config(layers).getBytes(StandardCharsets.UTF_8));
        }
        return total;
    }

    /** Weights ~ N(0, 0.02^2) (norm weights ~ 1), streamed in 1 MiB chunks. */
    private static void writeRandom(TensorSpec spec, OutputStream out, SplittableRandom random) throws IOException {
        boolean norm = spec.shape().length == 1;
        long n = spec.byteSize() / 2;
        float[] chunk = new float[1 << 19];
        byte[] bytes = new byte[chunk.length * 2];
        for (long done = 0; done < n; ) {
            int count = (int) Math.min(chunk.length, n - done);
            for (int i = 0; i < count; i++) {
                chunk[i] = norm ? 1f + 0.05f * (float) random.nextGaussian() : 0.02f * (float) random.nextGaussian();
            }
            FloatCodec.encode(chunk, 0, DType.BF16, bytes, 0, count);
            out.write(bytes, 0, count * 2);
            done += count;
        }
    }

    private static String config(int layers) {
        return "{\n  \"architectures\": [\"LlamaForCausalLM\"],\n  \"model_type\": \"llama\",\n"
                + "  \"hidden_size\": " + HIDDEN + ",\n  \"intermediate_size\": " + INTERMEDIATE + ",\n"
                + "  \"num_attention_heads\": " + HEADS + ",\n  \"num_key_value_heads\": " + KV_HEADS + ",\n"
                + "  \"num_hidden_layers\": " + layers + ",\n  \"vocab_size\": " + VOCAB + ",\n"
                + "  \"rms_norm_eps\": 1e-05,\n  \"rope_theta\": 10000.0,\n  \"max_position_embeddings\": 2048,\n"
                + "  \"tie_word_embeddings\": false,\n  \"torch_dtype\": \"bfloat16\"\n}\n";
    }
}
