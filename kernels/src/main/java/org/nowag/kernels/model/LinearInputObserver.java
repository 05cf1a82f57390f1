package org.nowag.kernels.model;

/**
 * Sees the input of every linear layer inside the transformer blocks as the forward pass runs: this is how
 * calibration collects X^T X per weight (see {@link GramAccumulator} and {@link StatisticsCollector}).
 *
 * <p>{@code rows} is row-major [tokens x inFeatures]: one row per real token of the batch (padding rows are left
 * out). Weights that share an input (q/k/v projections; gate/up in Llama, only intermediate in BERT) are reported
 * one after the other with the very same array instance, so an observer can compute once per distinct input.
 * The array belongs to the forward pass: read it during the call, never keep or change it.
 */
@FunctionalInterface
public interface LinearInputObserver {

    /** Observes nothing: the plain forward pass. */
    LinearInputObserver NONE = (weightName, rows, tokens, inFeatures) -> { };

    /**
     * @param weightName the HF name of the weight the input multiplies, e.g. "model.layers.0.self_attn.q_proj.weight"
     * @param rows       activations [tokens x inFeatures], row-major
     * @param tokens     number of rows
     * @param inFeatures d_in of the weight (its second dimension)
     */
    void onLinearInput(String weightName, float[] rows, int tokens, int inFeatures);
}
