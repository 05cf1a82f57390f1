package org.nowag.io.safetensors;

import java.io.Serializable;

/** One header entry. Offsets are relative to the start of the data section (byte 8 + header length). Plain class (Kryo 4 cannot do records). */
public final class TensorInfo implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final long begin;
    private final long end;

    public TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {
        this.name = name; this.dtype = dtype; this.shape = shape.clone(); this.begin = begin; this.end = end;
    }

    public String name() { return name; }
    public DType dtype() { return dtype; }
    public long[] shape() { return shape.clone(); }
    public long begin() { return begin; }
    public long end() { return end; }
    public long byteSize() { return end - begin; }
    public long numel() { long n = 1; for (long d : shape) n *= d; return n; }
    /** shape[0], or 1 for a scalar. */
    public long rows() { return shape.length == 0 ? 1 : shape[0]; }
    /** Elements per row: product of shape[1..], 1 for 0-d and 1-d tensors. */
    public long cols() { long n = 1; for (int i = 1; i < shape.length; i++) n *= shape[i]; return n; }
    public long rowBytes() { return cols() * dtype.bytes(); }
}
