package org.nowag.kernels.model;

import java.util.Arrays;

/**
 * One named weight as the forward passes consume it: row-major float values and the HF shape
 * (linear weights are [out, in], as in safetensors). Holds the caller's array without copying.
 */
public final class Tensor {
    private final String name;
    private final float[] values;
    private final int[] shape;

    public Tensor(String name, float[] values, int... shape) {
        if (name == null) throw new IllegalArgumentException("tensor name is null");
        if (values == null) throw new IllegalArgumentException("tensor '" + name + "': values are null");
        if (shape == null || shape.length == 0) throw new IllegalArgumentException("tensor '" + name + "': no shape");
        long n = 1;
        for (int d : shape) {
            if (d <= 0) throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " must have positive dimensions");
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " needs " + n
                    + " values but " + values.length + " were given");
        }
        this.name = name;
        this.values = values;
        this.shape = shape.clone();
    }

    public String name() { return name; }

    /** The row-major values (not a copy: the forward passes only read them). */
    public float[] values() { return values; }

    public int[] shape() { return shape.clone(); }

    public int rank() { return shape.length; }

    public int dim(int i) { return shape[i]; }

    /** Checks the shape against what the model's config implies; the message names the tensor and both shapes. */
    public Tensor requireShape(int... expected) {
        if (!Arrays.equals(shape, expected)) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape)
                    + " but the config implies " + Arrays.toString(expected));
        }
        return this;
    }
}
