package org.nowag.io.onnx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.nowag.io.safetensors.TensorSpec;

/**
 * The inverse of the import: the real all-MiniLM-L6-v2 ONNX graph with every initializer's bytes replaced by the
 * tensor of the same HF name from another model (a compressed one), Linear weights transposed back to ONNX's
 * [in, out]. The graph, its nodes and every other byte stay as they are, so third-party runtimes (onnxruntime,
 * transformers.js) can run our output with the unmodified upstream graph.
 */
public final class MiniLmOnnxExport {
    /** Little-endian row-major bytes of an HF tensor, in the dtype and [out, in] shape of {@code spec}. */
    public interface TensorBytes {
        byte[] read(TensorSpec spec) throws IOException;
    }

    private MiniLmOnnxExport() {}

    /** A new ONNX model byte array; {@code onnxModel} is not changed. */
    public static byte[] withWeights(byte[] onnxModel, TensorBytes weights) throws IOException {
        List<MappedTensor> tensors = MiniLmTensorMapper.map(OnnxGraph.parse(onnxModel));
        byte[] out = onnxModel.clone();
        for (MappedTensor t : tensors) {
            TensorSpec spec = t.spec();
            byte[] hf = weights.read(spec);
            if (hf.length != spec.byteSize()) {
                throw new IOException("tensor '" + spec.name() + "' has " + hf.length + " bytes, the graph needs "
                        + spec.byteSize() + " (" + spec.dtype() + " " + java.util.Arrays.toString(spec.shape()) + ")");
            }
            byte[] onnxLayout = t.transposed() ? transposed(hf, spec) : hf;
            ByteSlice target = t.source().rawData();
            System.arraycopy(onnxLayout, 0, out, target.offset(), target.length());
        }
        return out;
    }

    /** HF [out, in] -> ONNX [in, out]. */
    private static byte[] transposed(byte[] hf, TensorSpec spec) throws IOException {
        long[] shape = spec.shape();
        ByteArrayOutputStream buf = new ByteArrayOutputStream(hf.length);
        Transpose.write(new ByteSlice(hf, 0, hf.length), Math.toIntExact(shape[0]), Math.toIntExact(shape[1]),
                spec.dtype().bytes(), buf);
        return buf.toByteArray();
    }
}
