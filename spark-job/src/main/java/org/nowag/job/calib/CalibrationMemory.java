package org.nowag.job.calib;

import org.nowag.kernels.model.GramRowChunks;

/**
 * What one {@code calibrate} task holds, by formula (checked by {@code mem-check --steps calibrate}, planned for
 * Llama-2-70B by {@code scale-proof}). T is the map task's tokens (its windows x seq-len), d an input width.
 * <ul>
 * <li>A map task, per distinct linear input of the layer it is on: the input copied (T d floats), then, while its
 * bands are made, X widened to double (T d on the heap until ND4J copies it off-heap, T d off-heap after) and one band
 * (r d doubles, r = {@link GramRowChunks#bandRows}, twice: ND4J's and the heap copy handed to the shuffle). The
 * layer's weights and activations come on top: the forward pass's own memory, the same as without --full.</li>
 * <li>A reduce task: one piece's running sum and the partial being added (r d doubles each) and its float32 bytes
 * (r d floats); Spark's shuffle sorter buffers records on top and spills to disk when its memory is used up.</li>
 * </ul>
 */
public final class CalibrationMemory {
    private CalibrationMemory() {}

    /** Heap of a map task for one input of width d (its --full bands), in bytes. */
    public static long mapHeapBytes(long tokens, int d) {
        long band = (long) GramRowChunks.bandRows(d) * d;
        return tokens * d * (4 + 8) + 2 * 8 * band;
    }

    /**
     * Heap of a map task on a layer whose distinct linear inputs have these widths (all held as floats until their
     * pieces are out; one widened to double at a time), in bytes.
     */
    public static long mapHeapBytes(long tokens, int... widths) {
        long floats = 0;
        long widest = 0;
        for (int d : widths) {
            floats += tokens * d * 4;
            widest = Math.max(widest, mapHeapBytes(tokens, d) - tokens * d * 4);
        }
        return floats + widest;
    }

    /** ND4J's off-heap memory of a map task for one input of width d, in bytes. */
    public static long mapOffHeapBytes(long tokens, int d) {
        long rows = GramRowChunks.bandRows(d);
        return tokens * d * 8 + 8 * rows * d + 8 * tokens * rows;
    }

    /** Heap of a reduce task summing pieces of width d (bands of d_in = d), in bytes. */
    public static long reduceHeapBytes(int d) {
        long band = (long) GramRowChunks.bandRows(d) * d;
        return band * (8 + 8 + 4);
    }
}
