package org.nowag.tools.measure;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.nowag.io.model.ShardLayout;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorSpec;

/**
 * Llama-2-70B's exact tensor names, counts and shapes (hidden 8192, MLP 28672, 80 layers, 64 heads, 8 KV heads,
 * vocab 32000, BF16: 68.98 B parameters, 137.96 GB), written as real safetensors shards whose headers are complete
 * but whose data are sparse files (holes read as zeros and take no disk), except the tensors chosen to be dense,
 * which get random weights. The planner sees the real model; the executor proof runs the dense full-size matrices.
 */
public final class Llama70bLayout {
    public static final int HIDDEN = 8192;
    public static final int INTERMEDIATE = 28672;
    public static final int LAYERS = 80;
    public static final int KV_DIM = 1024;
    public static final int VOCAB = 32000;
    /** Hugging Face's Llama-2-70b-hf ships about 10 GB shards. */
    public static final long SHARD_BYTES = 10_000_000_000L;

    private Llama70bLayout() {}

    public static List<TensorSpec> specs() {
        List<TensorSpec> specs = new ArrayList<>();
        specs.add(spec("model.embed_tokens.weight", VOCAB, HIDDEN));
        for (int l = 0; l < LAYERS; l++) {
            String p = "model.layers." + l + ".";
            specs.add(new TensorSpec(p + "input_layernorm.weight", DType.BF16, new long[]{HIDDEN}));
            specs.add(spec(p + "self_attn.q_proj.weight", HIDDEN, HIDDEN));
            specs.add(spec(p + "self_attn.k_proj.weight", KV_DIM, HIDDEN));
            specs.add(spec(p + "self_attn.v_proj.weight", KV_DIM, HIDDEN));
            specs.add(spec(p + "self_attn.o_proj.weight", HIDDEN, HIDDEN));
            specs.add(new TensorSpec(p + "post_attention_layernorm.weight", DType.BF16, new long[]{HIDDEN}));
            specs.add(spec(p + "mlp.gate_proj.weight", INTERMEDIATE, HIDDEN));
            specs.add(spec(p + "mlp.up_proj.weight", INTERMEDIATE, HIDDEN));
            specs.add(spec(p + "mlp.down_proj.weight", HIDDEN, INTERMEDIATE));
        }
        specs.add(new TensorSpec("model.norm.weight", DType.BF16, new long[]{HIDDEN}));
        specs.add(spec("lm_head.weight", VOCAB, HIDDEN));
        return specs;
    }

    private static TensorSpec spec(String name, long rows, long cols) {
        return new TensorSpec(name, DType.BF16, new long[]{rows, cols});
    }

    /** Writes the shards (sparse), the index and config.json into dir; tensors matching dense get random data. */
    public static void write(Path dir, Predicate<String> dense, long seed) throws IOException {
        Files.createDirectories(dir);
        ShardLayout layout = ShardLayout.plan(specs(), SHARD_BYTES);
        SplittableRandom random = new SplittableRandom(seed);
        for (int s = 0; s < layout.shardCount(); s++) {
            List<TensorSpec> tensors = layout.shardTensors(s);
            byte[] header = SafetensorsWriter.header(tensors, Map.of("format", "pt"));
            try (RandomAccessFile file = new RandomAccessFile(dir.resolve(layout.shardName(s)).toFile(), "rw")) {
                file.write(header);
                long offset = header.length;
                for (TensorSpec t : tensors) {
                    if (dense.test(t.name())) {
                        file.seek(offset);
                        writeRandom(file, t.byteSize() / 2, random.split());
                    }
                    offset += t.byteSize();
                }
                file.setLength(offset); // the rest stays a hole: zeros, no disk
            }
        }
        Files.writeString(dir.resolve(ShardLayout.INDEX_FILE), layout.indexJson(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("config.json"), "{\n  \"architectures\": [\"LlamaForCausalLM\"],\n"
                + "  \"model_type\": \"llama\",\n  \"hidden_size\": 8192,\n  \"intermediate_size\": 28672,\n"
                + "  \"num_attention_heads\": 64,\n  \"num_key_value_heads\": 8,\n  \"num_hidden_layers\": 80,\n"
                + "  \"vocab_size\": 32000,\n  \"rms_norm_eps\": 1e-05,\n  \"torch_dtype\": \"bfloat16\"\n}\n");
    }

    private static void writeRandom(RandomAccessFile file, long elements, SplittableRandom random) throws IOException {
        float[] chunk = new float[1 << 20];
        byte[] bytes = new byte[chunk.length * 2];
        for (long done = 0; done < elements; ) {
            int n = (int) Math.min(chunk.length, elements - done);
            for (int i = 0; i < n; i++) chunk[i] = 0.02f * (float) random.nextGaussian();
            FloatCodec.encode(chunk, 0, DType.BF16, bytes, 0, n);
            file.write(bytes, 0, n * 2);
            done += n;
        }
    }

    /**
     * Calibration files for the layout's 560 linear weights, as {@code calibrate --full} names them: {@code stats}
     * (diag(X^T X), one [d_in] vector per weight, all ones: 25 MB, written) and its sibling
     * {@code stats.xtx.safetensors} (one [d_in, d_in] float32 matrix per weight, 392 GB of holes: the header is real,
     * the planner reads only that). Returns the statistics file.
     */
    public static Path writeCalibration(Path dir) throws IOException {
        List<TensorSpec> diag = new ArrayList<>();
        List<TensorSpec> full = new ArrayList<>();
        for (TensorSpec t : specs()) {
            if (t.shape().length != 2 || !t.name().startsWith("model.layers.")) continue;
            long dIn = t.shape()[1];
            diag.add(new TensorSpec(t.name(), DType.F32, new long[] {dIn}));
            full.add(new TensorSpec(t.name(), DType.F32, new long[] {dIn, dIn}));
        }
        Path stats = dir.resolve("stats.safetensors");
        try (java.io.OutputStream out = Files.newOutputStream(stats)) {
            SafetensorsWriter.write(out, diag, Map.of("format", "pt"), (spec, o) -> {
                float[] ones = new float[(int) spec.shape()[0]];
                java.util.Arrays.fill(ones, 1f);
                byte[] bytes = new byte[4 * ones.length];
                FloatCodec.encode(ones, 0, DType.F32, bytes, 0, ones.length);
                o.write(bytes);
            });
        }
        byte[] header = SafetensorsWriter.header(full, Map.of("format", "pt"));
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("stats.xtx.safetensors").toFile(), "rw")) {
            file.write(header);
            long end = header.length;
            for (TensorSpec t : full) end += t.byteSize();
            file.setLength(end);
        }
        return stats;
    }
}
