package org.nowag.kernels.model;

/**
 * RoPE in Hugging Face's "rotate_half" convention (LlamaRotaryEmbedding): a head vector's dimension j and
 * j + headDim/2 form one pair, rotated by the angle position * invFreq[j], invFreq[j] = theta^(-2j / headDim).
 * (Meta's original checkpoints pair adjacent dimensions instead; HF conversions permute q/k weights to this form.)
 * The frequencies and angles are float32 as in transformers, so positions far out match it too.
 */
final class RotaryEmbedding {
    private final int headDim;
    private final float[] invFreq;

    RotaryEmbedding(int headDim, float[] invFreq) {
        if (headDim % 2 != 0) throw new IllegalArgumentException("RoPE needs an even head dimension, got " + headDim);
        if (invFreq.length != headDim / 2) throw new IllegalArgumentException("need " + headDim / 2 + " frequencies");
        this.headDim = headDim;
        this.invFreq = invFreq;
    }

    static RotaryEmbedding of(LlamaConfig config) {
        return new RotaryEmbedding(config.headDim(), config.ropeScaling().inverseFrequencies(config.headDim(), config.ropeTheta()));
    }

    /** Rotates, in place, every head of every row of x [tokens x heads*headDim]; positions restart at 0 per sequence. */
    void applyInPlace(float[] x, int heads, HiddenStates layout) {
        int half = headDim / 2;
        int width = heads * headDim;
        float[] cos = new float[half];
        float[] sin = new float[half];
        for (int s = 0; s < layout.sequences(); s++) {
            int start = layout.start(s);
            for (int pos = 0; pos < layout.length(s); pos++) {
                for (int j = 0; j < half; j++) {
                    float angle = pos * invFreq[j];
                    cos[j] = (float) Math.cos(angle);
                    sin[j] = (float) Math.sin(angle);
                }
                int rowBase = (start + pos) * width;
                for (int h = 0; h < heads; h++) {
                    int base = rowBase + h * headDim;
                    for (int j = 0; j < half; j++) {
                        float a = x[base + j];
                        float b = x[base + j + half];
                        x[base + j] = a * cos[j] - b * sin[j];
                        x[base + j + half] = b * cos[j] + a * sin[j];
                    }
                }
            }
        }
    }
}
