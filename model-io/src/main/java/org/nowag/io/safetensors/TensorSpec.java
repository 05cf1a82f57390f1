package org.nowag.io.safetensors;

import java.io.Serializable;
import java.util.Objects;

/** A tensor to be written: name, dtype, shape (offsets are assigned by the writer). */
public final class TensorSpec implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final DType dtype;
    private final long[] shape;

    public TensorSpec(String name, DType dtype, long[] shape) {
        this.name = Objects.requireNonNull(name, "name");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = shape.clone();
        // Checked here so a bad spec fails where it is made, not later as a corrupt layout or header.
        for (long d : this.shape) {
            if (d < 0) throw new IllegalArgumentException("tensor '" + name + "': negative dimension " + d);
        }
        byteSize();
    }

    public String name() { return name; }
    public DType dtype() { return dtype; }
    public long[] shape() { return shape.clone(); }
    /** Throws ArithmeticException (at construction) if the size does not fit in a long. */
    public long byteSize() { long n = dtype.bytes(); for (long d : shape) n = Math.multiplyExact(n, d); return n; }
}
