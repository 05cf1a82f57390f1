package org.nowag.tools.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma & Ba, with bias correction) after global-norm gradient clipping: when the L2 norm of all gradients
 * together exceeds the limit, every gradient is scaled by limit / norm. Parameters are updated in place. SameDiff's
 * own fit() has no global-norm clipping, so the training loop asks SameDiff for gradients and calls this.
 */
public final class AdamOptimizer {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double clipNorm;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();

    public AdamOptimizer(Map<String, INDArray> params, double beta1, double beta2, double epsilon, double clipNorm) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.clipNorm = clipNorm;
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            m.put(e.getKey(), Nd4j.zerosLike(e.getValue()));
            v.put(e.getKey(), Nd4j.zerosLike(e.getValue()));
        }
    }

    /** Continues from saved moments (a resumed run). */
    public void restore(Map<String, INDArray> savedM, Map<String, INDArray> savedV) {
        for (String name : m.keySet()) {
            if (!savedM.containsKey(name) || !savedV.containsKey(name)) {
                throw new IllegalArgumentException("checkpoint lacks the Adam moments of " + name);
            }
            m.get(name).assign(savedM.get(name));
            v.get(name).assign(savedV.get(name));
        }
    }

    public Map<String, INDArray> firstMoments() { return m; }
    public Map<String, INDArray> secondMoments() { return v; }

    /** The L2 norm of all gradients together. */
    public static double globalNorm(Map<String, INDArray> grads) {
        double sq = 0;
        for (INDArray g : grads.values()) {
            double n = g.norm2Number().doubleValue();
            sq += n * n;
        }
        return Math.sqrt(sq);
    }

    /**
     * One update at step t (1-based) with learning rate lr; returns the gradients' global norm before clipping.
     */
    public double step(Map<String, INDArray> params, Map<String, INDArray> grads, int t, double lr) {
        double norm = globalNorm(grads);
        double scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1.0;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            String name = e.getKey();
            INDArray g = grads.get(name);
            if (g == null) throw new IllegalStateException("SameDiff returned no gradient for " + name);
            if (scale != 1.0) g = g.mul(scale);
            INDArray mi = m.get(name);
            INDArray vi = v.get(name);
            mi.muli(beta1).addi(g.mul(1 - beta1));
            vi.muli(beta2).addi(g.mul(g).muli(1 - beta2));
            // p -= lr * (m / c1) / (sqrt(v / c2) + eps)
            INDArray denom = Transforms.sqrt(vi.div(c2), false).addi(epsilon);
            e.getValue().subi(mi.div(c1).divi(denom).muli(lr));
        }
        return norm;
    }
}
