package org.nowag.kernels.model;

import java.io.IOException;
import java.util.Map;

/**
 * Where the forward passes get their weights, by Hugging Face tensor name ("model.layers.3.mlp.up_proj.weight",
 * "encoder.layer.0.attention.self.query.weight", ...). The kernels never open files: the caller implements this,
 * typically over model-io's {@code ModelDirectory} + {@code SafetensorsFile}:
 *
 * <pre>{@code
 * WeightSource source = name -> {
 *     TensorInfo t = model.tensor(name);
 *     if (t == null) return null;                       // absent: an optional bias, or lm_head when tied
 *     try (SafetensorsFile f = SafetensorsFile.open(model.fileSystem(), model.shardOf(name))) {
 *         return new Tensor(name, f.readRowsAsFloat(name, 0, (int) t.rows()), shapeOf(t));
 *     }
 * };
 * }</pre>
 *
 * The loaders ({@code LlamaLayer.load}, {@code BertLayer.load}, ...) ask only for the tensors of the part they
 * build, so a streaming caller reads one layer's weights at a time.
 */
@FunctionalInterface
public interface WeightSource {

    /** The tensor with this HF name, or null when the model has none (optional biases, a tied lm_head). */
    Tensor find(String name) throws IOException;

    /** The tensor, or a clear error naming it when the model lacks it. */
    default Tensor require(String name) throws IOException {
        Tensor t = find(name);
        if (t == null) {
            throw new IllegalArgumentException("the model has no tensor '" + name + "'");
        }
        if (!t.name().equals(name)) {
            throw new IllegalStateException("asked the weight source for '" + name + "' and got '" + t.name() + "'");
        }
        return t;
    }

    /** Tensors already in memory (tests, small models), keyed by name. */
    static WeightSource of(Map<String, Tensor> tensors) {
        return tensors::get;
    }
}
