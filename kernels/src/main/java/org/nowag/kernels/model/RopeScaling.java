package org.nowag.kernels.model;

/**
 * How the RoPE frequencies are derived from rope_theta: plain (no "rope_scaling"), "linear" (every frequency divided
 * by factor), or "llama3" (Llama 3.1+: long wavelengths divided by factor, short ones kept, a smooth blend between;
 * transformers' _compute_llama3_parameters). Other rope types (yarn, dynamic, longrope) are refused by name.
 */
public final class RopeScaling implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public enum Type { NONE, LINEAR, LLAMA3 }

    private final Type type;
    private final double factor;
    private final double lowFreqFactor;
    private final double highFreqFactor;
    private final int originalMaxPositions;

    private RopeScaling(Type type, double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {
        this.type = type;
        this.factor = factor;
        this.lowFreqFactor = lowFreqFactor;
        this.highFreqFactor = highFreqFactor;
        this.originalMaxPositions = originalMaxPositions;
    }

    public static RopeScaling none() { return new RopeScaling(Type.NONE, 1, 0, 0, 0); }

    public static RopeScaling linear(double factor) { return new RopeScaling(Type.LINEAR, factor, 0, 0, 0); }

    public static RopeScaling llama3(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {
        return new RopeScaling(Type.LLAMA3, factor, lowFreqFactor, highFreqFactor, originalMaxPositions);
    }

    static RopeScaling fromHf(HfConfigValues cfg) {
        HfConfigValues s = cfg.objectOrNull("rope_scaling");
        if (s == null) return none();
        String type = s.stringOr("rope_type", s.stringOr("type", "default"));
        switch (type) {
            case "default":
                return none();
            case "linear":
                return linear(s.doubleOr("factor", 1.0));
            case "llama3":
                return llama3(s.doubleOr("factor", 8.0), s.doubleOr("low_freq_factor", 1.0),
                        s.doubleOr("high_freq_factor", 4.0), s.intOr("original_max_position_embeddings", 8192));
            default:
                throw new IllegalArgumentException("config.json: rope_scaling type \"" + type
                        + "\" is not supported (supported: default, linear, llama3)");
        }
    }

    public Type type() { return type; }

    /** invFreq[j] for j < headDim/2, float32 as transformers computes them. */
    float[] inverseFrequencies(int headDim, double theta) {
        float[] inv = new float[headDim / 2];
        for (int j = 0; j < inv.length; j++) {
            float base = (float) (1.0 / Math.pow(theta, (2.0 * j) / headDim));
            inv[j] = (float) scale(base);
        }
        return inv;
    }

    private double scale(double f) {
        switch (type) {
            case LINEAR:
                return f / factor;
            case LLAMA3: {
                double lowFreqWavelen = originalMaxPositions / lowFreqFactor;
                double highFreqWavelen = originalMaxPositions / highFreqFactor;
                double wavelen = 2 * Math.PI / f;
                if (wavelen < highFreqWavelen) return f;
                if (wavelen > lowFreqWavelen) return f / factor;
                double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                return (1 - smooth) * f / factor + smooth * f;
            }
            default:
                return f;
        }
    }
}
