package org.nowag.kernels.model;

/**
 * The activations between two transformer layers: packed rows [tokens x width] (row-major float, sequence after
 * sequence), with the sequence boundaries and padding of the {@link TokenBatch} they came from.
 * A layer returns new hidden states and never changes its input, so a caller may keep both.
 */
public final class HiddenStates {
    private final float[] values;
    private final int width;
    private final int[] starts;
    private final boolean[] padding;

    HiddenStates(float[] values, int width, int[] starts, boolean[] padding) {
        if ((long) starts[starts.length - 1] * width != values.length) {
            throw new IllegalArgumentException("hidden states hold " + values.length + " values, expected "
                    + starts[starts.length - 1] + " tokens x " + width);
        }
        this.values = values;
        this.width = width;
        this.starts = starts;
        this.padding = padding;
    }

    /** Hidden states a caller built itself (e.g. kept from an earlier run), packed as the batch's sequences. */
    public static HiddenStates of(float[] values, int width, TokenBatch batch) {
        return new HiddenStates(values, width, batch.starts(), batch.padding());
    }

    /** New values with the same sequences and padding. */
    HiddenStates with(float[] newValues, int newWidth) {
        return new HiddenStates(newValues, newWidth, starts, padding);
    }

    /** Row-major [tokens x width]; not a copy. */
    public float[] values() { return values; }

    public int width() { return width; }

    public int tokens() { return starts[starts.length - 1]; }

    public int sequences() { return starts.length - 1; }

    /** First row of a sequence. */
    public int start(int sequence) { return starts[sequence]; }

    /** Number of rows (tokens, padding included) of a sequence. */
    public int length(int sequence) { return starts[sequence + 1] - starts[sequence]; }

    /** True when the row is padding (attention mask 0). */
    public boolean isPadding(int row) { return padding != null && padding[row]; }

    boolean hasPadding() { return padding != null; }

    int[] startsArray() { return starts; }

    boolean[] paddingArray() { return padding; }
}
