package org.nowag.kernels.model;

import java.io.IOException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * y = x W^T + b for a weight W [out, in] (HF / safetensors layout) and an optional bias b [out].
 * The weight is copied into an ND4J array once, when the layer is loaded, so each call is one GEMM
 * ([tokens x in] times [in x out]) plus the copies of x and y.
 */
final class Linear {
    private final String weightName;
    private final INDArray weight;
    private final float[] bias;
    private final int in;
    private final int out;

    private Linear(String weightName, INDArray weight, float[] bias, int in, int out) {
        this.weightName = weightName;
        this.weight = weight;
        this.bias = bias;
        this.in = in;
        this.out = out;
    }

    /** Loads "name" [out, in] and, when the model has it, the bias named like it ("....bias") [out]. */
    static Linear load(WeightSource source, String weightName, int out, int in) throws IOException {
        Tensor w = source.require(weightName).requireShape(out, in);
        Tensor b = source.find(biasName(weightName));
        if (b != null) b.requireShape(out);
        return fromTensor(w, b == null ? null : b.values());
    }

    /** A linear layer over a weight already in memory (e.g. tied embeddings used as the LM head). */
    static Linear fromTensor(Tensor w, float[] bias) {
        int out = w.dim(0);
        int in = w.dim(1);
        INDArray m = Nd4j.create(w.values(), new long[] {out, in}, DataType.FLOAT);
        return new Linear(w.name(), m, bias, in, out);
    }

    static String biasName(String weightName) {
        if (!weightName.endsWith(".weight")) throw new IllegalArgumentException("not a weight name: " + weightName);
        return weightName.substring(0, weightName.length() - ".weight".length()) + ".bias";
    }

    String weightName() { return weightName; }

    int in() { return in; }

    int out() { return out; }

    boolean hasBias() { return bias != null; }

    /** x [rows x in] row-major to y [rows x out] row-major. */
    float[] apply(float[] x, int rows) {
        if ((long) rows * in != x.length) {
            throw new IllegalArgumentException(weightName + ": input has " + x.length + " values, expected " + rows + " x " + in);
        }
        INDArray xs = Nd4j.create(x, new long[] {rows, in}, DataType.FLOAT);
        float[] y = Nd4jArrays.toFloats(Nd4j.gemm(xs, weight, false, true), (long) rows * out);
        if (bias != null) {
            for (int r = 0; r < rows; r++) {
                int base = r * out;
                for (int j = 0; j < out; j++) y[base + j] += bias[j];
            }
        }
        return y;
    }
}
