package org.nowag.io.onnx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.TensorSpec;

/**
 * all-MiniLM-L6-v2 as a Hugging Face BertModel: its hyper-parameters and every tensor of its checkpoint, with HF
 * names and [out, in] Linear layout. The importer checks the ONNX file against this list, so a different export
 * (another model, another exporter's naming) fails loudly instead of producing a plausible but wrong checkpoint.
 */
final class MiniLmArchitecture {
    static final int HIDDEN = 384;
    static final int LAYERS = 6;
    static final int HEADS = 12;
    static final int INTERMEDIATE = 1536;
    static final int VOCAB = 30522;
    static final int MAX_POSITIONS = 512;
    static final int TYPE_VOCAB = 2;
    static final double LAYER_NORM_EPS = 1e-12;

    /** The six Linear modules of a BERT layer, relative to encoder.layer.K. */
    static final List<String> LINEAR_MODULES = List.of(
            "attention.self.query", "attention.self.key", "attention.self.value",
            "attention.output.dense", "intermediate.dense", "output.dense");

    private static final List<TensorSpec> TENSORS = Collections.unmodifiableList(buildTensors());

    private MiniLmArchitecture() {}

    /**
     * Every tensor, in BertModel state_dict order (embeddings, then layer by layer, each module's weight before its
     * bias), which is also the order of the written model.safetensors. embeddings.position_ids is the int64 buffer
     * [1, 512] the ONNX export carries: kept, so the checkpoint holds all 102 initializers.
     */
    static List<TensorSpec> tensors() {
        return TENSORS;
    }

    static boolean isLinearWeight(String hfName) {
        for (int k = 0; k < LAYERS; k++) {
            for (String module : LINEAR_MODULES) {
                if (hfName.equals(layer(k) + module + ".weight")) return true;
            }
        }
        return false;
    }

    private static List<TensorSpec> buildTensors() {
        List<TensorSpec> t = new ArrayList<>();
        f32(t, "embeddings.word_embeddings.weight", VOCAB, HIDDEN);
        f32(t, "embeddings.position_embeddings.weight", MAX_POSITIONS, HIDDEN);
        f32(t, "embeddings.token_type_embeddings.weight", TYPE_VOCAB, HIDDEN);
        f32(t, "embeddings.LayerNorm.weight", HIDDEN);
        f32(t, "embeddings.LayerNorm.bias", HIDDEN);
        t.add(new TensorSpec("embeddings.position_ids", DType.I64, new long[] {1, MAX_POSITIONS}));
        for (int k = 0; k < LAYERS; k++) {
            String p = layer(k);
            linear(t, p + "attention.self.query", HIDDEN, HIDDEN);
            linear(t, p + "attention.self.key", HIDDEN, HIDDEN);
            linear(t, p + "attention.self.value", HIDDEN, HIDDEN);
            linear(t, p + "attention.output.dense", HIDDEN, HIDDEN);
            f32(t, p + "attention.output.LayerNorm.weight", HIDDEN);
            f32(t, p + "attention.output.LayerNorm.bias", HIDDEN);
            linear(t, p + "intermediate.dense", INTERMEDIATE, HIDDEN);
            linear(t, p + "output.dense", HIDDEN, INTERMEDIATE);
            f32(t, p + "output.LayerNorm.weight", HIDDEN);
            f32(t, p + "output.LayerNorm.bias", HIDDEN);
        }
        return t;
    }

    private static String layer(int k) {
        return "encoder.layer." + k + ".";
    }

    /** nn.Linear(in, out): weight [out, in], bias [out]. */
    private static void linear(List<TensorSpec> t, String module, int out, int in) {
        f32(t, module + ".weight", out, in);
        f32(t, module + ".bias", out);
    }

    private static void f32(List<TensorSpec> t, String name, long... shape) {
        t.add(new TensorSpec(name, DType.F32, shape));
    }
}
