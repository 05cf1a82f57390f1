package org.nowag.io.onnx;

import java.io.IOException;
import java.io.OutputStream;
import org.nowag.io.safetensors.TensorSpec;

/** One output tensor: its HF spec and the ONNX initializer that supplies its bytes, transposed for Linear weights. */
final class MappedTensor {
    private final TensorSpec spec;
    private final OnnxInitializer source;
    private final boolean transposed;

    MappedTensor(TensorSpec spec, OnnxInitializer source, boolean transposed) {
        this.spec = spec;
        this.source = source;
        this.transposed = transposed;
    }

    TensorSpec spec() { return spec; }
    OnnxInitializer source() { return source; }
    /** True when ONNX stores [in, out] and HF wants [out, in]. */
    boolean transposed() { return transposed; }

    /** Writes exactly spec().byteSize() little-endian bytes. */
    void writeTo(OutputStream out) throws IOException {
        if (transposed) {
            long[] dims = source.dims();
            Transpose.write(source.rawData(), Math.toIntExact(dims[0]), Math.toIntExact(dims[1]), spec.dtype().bytes(), out);
        } else {
            // ONNX raw_data and safetensors are both little-endian row-major: the bytes go through unchanged.
            source.rawData().writeTo(out);
        }
    }
}
