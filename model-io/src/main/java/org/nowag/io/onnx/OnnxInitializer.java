package org.nowag.io.onnx;

import java.util.Arrays;
import org.nowag.io.safetensors.DType;

/** One graph initializer (a TensorProto with raw_data): name, ONNX data type, dims, and its bytes as a view. */
public final class OnnxInitializer {
    private final String name;
    private final int dataType;
    private final long[] dims;
    private final ByteSlice rawData;

    public OnnxInitializer(String name, int dataType, long[] dims, ByteSlice rawData) {
        this.name = name;
        this.dataType = dataType;
        this.dims = dims.clone();
        this.rawData = rawData;
    }

    public String name() { return name; }

    /** The ONNX TensorProto.DataType code (1 = FLOAT, 7 = INT64, ...). */
    public int dataType() { return dataType; }

    /** The safetensors dtype with the same bytes, or null if there is none. */
    public DType dtype() { return OnnxDataTypes.toDType(dataType); }

    public long[] dims() { return dims.clone(); }

    /** Little-endian, row-major element bytes. */
    public ByteSlice rawData() { return rawData; }

    public long numel() {
        long n = 1;
        for (long d : dims) n = Math.multiplyExact(n, d);
        return n;
    }

    @Override
    public String toString() {
        return name + " (type " + dataType + ", dims " + Arrays.toString(dims) + ", " + rawData.length() + " bytes)";
    }
}
