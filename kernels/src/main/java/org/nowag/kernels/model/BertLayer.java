package org.nowag.kernels.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One BERT encoder layer (post-LayerNorm), loaded alone from the {@link WeightSource}:
 * <pre>
 *   h   = LayerNorm(x + dense(attention(query(x), key(x), value(x))))      bidirectional, padding keys masked
 *   out = LayerNorm(h + output.dense(gelu(intermediate.dense(h))))
 * </pre>
 */
public final class BertLayer {
    private static final String[] LINEAR_SUFFIXES = {
        "attention.self.query.weight", "attention.self.key.weight", "attention.self.value.weight",
        "attention.output.dense.weight", "intermediate.dense.weight", "output.dense.weight"};

    private final BertConfig config;
    private final int index;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear attentionOut;
    private final float[] attentionNormGamma;
    private final float[] attentionNormBeta;
    private final Linear intermediate;
    private final Linear output;
    private final float[] outputNormGamma;
    private final float[] outputNormBeta;

    private BertLayer(BertConfig config, int index, Linear query, Linear key, Linear value, Linear attentionOut,
                      float[] attentionNormGamma, float[] attentionNormBeta, Linear intermediate, Linear output,
                      float[] outputNormGamma, float[] outputNormBeta) {
        this.config = config;
        this.index = index;
        this.query = query;
        this.key = key;
        this.value = value;
        this.attentionOut = attentionOut;
        this.attentionNormGamma = attentionNormGamma;
        this.attentionNormBeta = attentionNormBeta;
        this.intermediate = intermediate;
        this.output = output;
        this.outputNormGamma = outputNormGamma;
        this.outputNormBeta = outputNormBeta;
    }

    /** "encoder.layer.N." after the config's tensor prefix. */
    public static String prefix(BertConfig config, int layer) {
        return config.tensorPrefix() + "encoder.layer." + layer + ".";
    }

    /** The 6 linear weights of a layer, in the order the forward pass uses (and reports) them. */
    public static List<String> linearWeightNames(BertConfig config, int layer) {
        List<String> names = new ArrayList<>();
        for (String s : LINEAR_SUFFIXES) names.add(prefix(config, layer) + s);
        return names;
    }

    public static BertLayer load(WeightSource source, BertConfig config, int layer) throws IOException {
        if (layer < 0 || layer >= config.numHiddenLayers()) {
            throw new IllegalArgumentException("layer " + layer + " outside 0.." + (config.numHiddenLayers() - 1));
        }
        String p = prefix(config, layer);
        int d = config.hiddenSize();
        int ff = config.intermediateSize();
        return new BertLayer(config, layer,
                Linear.load(source, p + "attention.self.query.weight", d, d),
                Linear.load(source, p + "attention.self.key.weight", d, d),
                Linear.load(source, p + "attention.self.value.weight", d, d),
                Linear.load(source, p + "attention.output.dense.weight", d, d),
                source.require(p + "attention.output.LayerNorm.weight").requireShape(d).values(),
                source.require(p + "attention.output.LayerNorm.bias").requireShape(d).values(),
                Linear.load(source, p + "intermediate.dense.weight", ff, d),
                Linear.load(source, p + "output.dense.weight", d, ff),
                source.require(p + "output.LayerNorm.weight").requireShape(d).values(),
                source.require(p + "output.LayerNorm.bias").requireShape(d).values());
    }

    public int index() { return index; }

    public HiddenStates forward(HiddenStates in, LinearInputObserver observer) {
        int d = config.hiddenSize();
        if (in.width() != d) {
            throw new IllegalArgumentException("layer " + index + ": hidden states are " + in.width() + " wide, hidden_size is " + d);
        }
        int n = in.tokens();
        float[] x = in.values();
        Observed.report(observer, x, d, in, query.weightName(), key.weightName(), value.weightName());
        float[] context = Attention.attend(query.apply(x, n), key.apply(x, n), value.apply(x, n), in,
                config.numAttentionHeads(), config.numAttentionHeads(), config.headDim(), false);
        Observed.report(observer, context, d, in, attentionOut.weightName());
        float[] a = attentionOut.apply(context, n);
        Norms.addInPlace(a, x);
        float[] h = Norms.layerNorm(a, d, attentionNormGamma, attentionNormBeta, config.layerNormEps());

        Observed.report(observer, h, d, in, intermediate.weightName());
        float[] inter = intermediate.apply(h, n);
        Activations.geluInPlace(inter);
        Observed.report(observer, inter, intermediate.out(), in, output.weightName());
        float[] o = output.apply(inter, n);
        Norms.addInPlace(o, h);
        return in.with(Norms.layerNorm(o, d, outputNormGamma, outputNormBeta, config.layerNormEps()), d);
    }
}
