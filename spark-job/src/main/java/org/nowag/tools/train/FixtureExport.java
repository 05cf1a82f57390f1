package org.nowag.tools.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nowag.io.safetensors.DType;
import org.nowag.kernels.model.LlamaConfig;

/**
 * Writes a trained model as a Hugging Face LlamaForCausalLM directory: model.safetensors (BF16), config.json,
 * tokenizer.json + tokenizer_config.json, and the loss curve (loss.csv, loss.svg).
 */
public final class FixtureExport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FixtureExport() {}

    public static void write(Path dir, LlamaConfig c, TrainSettings s, Map<String, INDArray> params, Path runDir, LossLog log)
            throws IOException {
        Files.createDirectories(dir);
        TensorFiles.write(dir.resolve("model.safetensors"), params, DType.BF16, Map.of("format", "pt"));
        Files.write(dir.resolve("config.json"), JSON.writeValueAsBytes(configJson(c, s.seq())));
        for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
            Files.copy(runDir.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(runDir.resolve("loss.csv"), dir.resolve("loss.csv"), StandardCopyOption.REPLACE_EXISTING);
        String title = String.format("train-llama: %s, seed %d", LlamaTrainer.describe(c), s.seed());
        Files.writeString(dir.resolve("loss.svg"), LossCurveSvg.render(log, title), StandardCharsets.UTF_8);
    }

    /** HF LlamaConfig keys; BOS and EOS are the tokenizer's end-of-text token (id 0). */
    public static Map<String, Object> configJson(LlamaConfig c, int maxPositions) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architectures", List.of("LlamaForCausalLM"));
        m.put("model_type", "llama");
        m.put("vocab_size", c.vocabSize());
        m.put("hidden_size", c.hiddenSize());
        m.put("intermediate_size", c.intermediateSize());
        m.put("num_hidden_layers", c.numHiddenLayers());
        m.put("num_attention_heads", c.numAttentionHeads());
        m.put("num_key_value_heads", c.numKeyValueHeads());
        m.put("head_dim", c.headDim());
        m.put("hidden_act", "silu");
        m.put("max_position_embeddings", maxPositions);
        m.put("rms_norm_eps", c.rmsNormEps());
        m.put("rope_theta", c.ropeTheta());
        m.put("rope_scaling", null);
        m.put("attention_bias", false);
        m.put("attention_dropout", 0.0);
        m.put("mlp_bias", false);
        m.put("tie_word_embeddings", false);
        m.put("initializer_range", WeightInit.STD);
        m.put("bos_token_id", 0);
        m.put("eos_token_id", 0);
        m.put("torch_dtype", "bfloat16");
        m.put("use_cache", true);
        return m;
    }
}
