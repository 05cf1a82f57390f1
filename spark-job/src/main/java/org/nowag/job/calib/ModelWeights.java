package org.nowag.job.calib;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.kernels.model.BertConfig;
import org.nowag.kernels.model.LlamaConfig;
import org.nowag.kernels.model.Tensor;
import org.nowag.kernels.model.WeightSource;

/**
 * A model directory as the forward passes see it: its family (from config.json's model_type), its parsed config and
 * a {@link WeightSource} that reads each tensor from its shard only when asked (a ranged read per tensor), so a
 * layer-by-layer walk never holds more than one layer's weights.
 */
public final class ModelWeights {
    /** The two families the forward passes implement. */
    public enum Family { BERT, LLAMA }

    private final ModelDirectory model;
    private final Family family;
    private final Map<String, Object> config;

    private ModelWeights(ModelDirectory model, Family family, Map<String, Object> config) {
        this.model = model;
        this.family = family;
        this.config = config;
    }

    @SuppressWarnings("unchecked")
    public static ModelWeights open(String uri, Configuration conf) throws IOException {
        ModelDirectory model = ModelDirectory.open(uri, conf);
        Map<String, Object> config = new ObjectMapper().readValue(model.configJson(), Map.class);
        Object type = config.get("model_type");
        if (type == null) {
            throw new IllegalArgumentException("model " + uri + ": config.json has no model_type; cannot tell BERT from Llama");
        }
        return new ModelWeights(model, familyOf(uri, type.toString()), config);
    }

    static Family familyOf(String uri, String modelType) {
        switch (modelType) {
            case "bert":
                return Family.BERT;
            case "llama": case "mistral": case "qwen2":
                return Family.LLAMA;
            case "nowag_vq": case "nowag_armor":
                throw new IllegalArgumentException("model " + uri + ": model_type \"" + modelType + "\" is a raw "
                        + (modelType.equals("nowag_vq") ? "NoWag-VQ" : "ARMOR") + " output with no dense weights; "
                        + "run nowag decompress first and use its output");
            default:
                throw new IllegalArgumentException("model " + uri + ": model_type \"" + modelType
                        + "\" has no forward pass here (supported: bert; llama, mistral, qwen2)");
        }
    }

    public Family family() { return family; }

    public ModelDirectory directory() { return model; }

    public BertConfig bertConfig() { return BertConfig.fromHf(config); }

    public LlamaConfig llamaConfig() { return LlamaConfig.fromHf(config); }

    /** Longest sequence the model's positions allow (config max_position_embeddings; 2048 when absent). */
    public int maxPositions() {
        Object v = config.get("max_position_embeddings");
        return v instanceof Number ? ((Number) v).intValue() : 2048;
    }

    /**
     * Reads each tensor from its shard when asked; null for a tensor the model does not have. A required tensor that
     * is missing is an error naming this model's directory (a task may hold two models).
     */
    public WeightSource source() {
        return new WeightSource() {
            @Override
            public Tensor find(String name) throws IOException {
                TensorInfo t = model.tensor(name);
                if (t == null) return null;
                try (SafetensorsFile f = SafetensorsFile.open(model.fileSystem(), model.shardOf(name))) {
                    long[] s = t.shape();
                    int[] shape = new int[s.length];
                    for (int i = 0; i < s.length; i++) shape[i] = Math.toIntExact(s[i]);
                    return new Tensor(name, f.readRowsAsFloat(name, 0, Math.toIntExact(t.rows())), shape);
                }
            }

            @Override
            public Tensor require(String name) throws IOException {
                if (model.tensor(name) == null) {
                    throw new IllegalArgumentException("model " + model.root() + " has no tensor '" + name + "', which the "
                            + family.name().toLowerCase(java.util.Locale.ROOT) + " forward pass needs");
                }
                return WeightSource.super.require(name);
            }
        };
    }
}
