package org.nowag.kernels.model;

/** The two normalizations of the supported families, row by row over packed [rows x width] activations. */
final class Norms {
    private Norms() {}

    /** BERT LayerNorm: (x - mean) / sqrt(var + eps) * gamma + beta, biased variance, as torch.nn.LayerNorm. */
    static float[] layerNorm(float[] x, int width, float[] gamma, float[] beta, double eps) {
        float[] y = new float[x.length];
        for (int base = 0; base < x.length; base += width) {
            double mean = 0;
            for (int j = 0; j < width; j++) mean += x[base + j];
            mean /= width;
            double var = 0;
            for (int j = 0; j < width; j++) {
                double d = x[base + j] - mean;
                var += d * d;
            }
            var /= width;
            double inv = 1.0 / Math.sqrt(var + eps);
            for (int j = 0; j < width; j++) {
                y[base + j] = (float) ((x[base + j] - mean) * inv) * gamma[j] + beta[j];
            }
        }
        return y;
    }

    /** Llama RMSNorm: x / sqrt(mean(x^2) + eps) * weight (no mean removal, no bias), as LlamaRMSNorm. */
    static float[] rmsNorm(float[] x, int width, float[] weight, double eps) {
        float[] y = new float[x.length];
        for (int base = 0; base < x.length; base += width) {
            double ss = 0;
            for (int j = 0; j < width; j++) ss += (double) x[base + j] * x[base + j];
            float inv = (float) (1.0 / Math.sqrt(ss / width + eps));
            for (int j = 0; j < width; j++) y[base + j] = weight[j] * (x[base + j] * inv);
        }
        return y;
    }

    /** x += y elementwise (the residual connections). */
    static void addInPlace(float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) x[i] += y[i];
    }
}
