package org.nowag.tools.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nowag.kernels.model.LlamaConfig;

/**
 * Initial weights from a seed, in Java (not ND4J's RNG, whose streams differ between versions): HF Llama's
 * normal(0, 0.02) for embeddings and linears, the residual output projections (o_proj, down_proj) scaled by
 * 1/sqrt(2 * layers) as GPT-2 does, RMSNorm weights 1.
 */
public final class WeightInit {
    public static final double STD = 0.02;

    private WeightInit() {}

    public static Map<String, INDArray> initial(LlamaConfig c, long seed, DataType dtype) {
        Random r = new Random(seed);
        Map<String, INDArray> out = new LinkedHashMap<>();
        double residual = STD / Math.sqrt(2.0 * c.numHiddenLayers());
        for (Map.Entry<String, long[]> e : LlamaGraph.parameterShapes(c).entrySet()) {
            String name = e.getKey();
            long n = 1;
            for (long d : e.getValue()) n *= d;
            double[] v = new double[(int) n];
            if (name.endsWith("norm.weight")) {
                java.util.Arrays.fill(v, 1.0);
            } else {
                double std = name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight") ? residual : STD;
                for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian() * std;
            }
            out.put(name, Nd4j.createFromArray(v).castTo(dtype).reshape(e.getValue()));
        }
        return out;
    }
}
