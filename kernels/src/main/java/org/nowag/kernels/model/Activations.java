package org.nowag.kernels.model;

/** The MLP nonlinearities: exact (erf) GELU for BERT, SiLU-gated (SwiGLU) for Llama. */
final class Activations {
    private Activations() {}

    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);

    /** In place: x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)), HF's "gelu" (not the tanh approximation). */
    static void geluInPlace(float[] x) {
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            x[i] = (float) (0.5 * v * (1.0 + Erf.erf(v * INV_SQRT2)));
        }
    }

    /** In place: gate = silu(gate) * up, silu(g) = g / (1 + e^-g); the SwiGLU product fed to down_proj. */
    static void swigluInPlace(float[] gate, float[] up) {
        for (int i = 0; i < gate.length; i++) {
            float g = gate[i];
            gate[i] = (float) (g / (1.0 + Math.exp(-g))) * up[i];
        }
    }
}
