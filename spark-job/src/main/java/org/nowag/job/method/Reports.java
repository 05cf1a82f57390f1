package org.nowag.job.method;

import org.nowag.job.api.TensorReport;
import org.nowag.job.plan.TargetTensor;

/** The report entry fields every method fills the same way. */
public final class Reports {
    private Reports() {}

    /** Name, dtype, shape, method, parameters and block count of a target; the method fills in the rest. */
    public static TensorReport base(TargetTensor t) {
        TensorReport r = new TensorReport();
        r.name = t.name();
        r.dtype = t.info.dtype().name();
        r.shape = t.info.shape();
        r.method = t.method.name();
        r.pattern = t.params.describe();
        r.blocks = t.blocks.size();
        return r;
    }

    /** Stored bits per weight over tensors, each weighted by its weights ({@link TensorReport#bitsPerWeight}). */
    public static double bitsPerWeight(java.util.List<TensorReport> tensors) {
        double bits = 0;
        long weights = 0;
        for (TensorReport t : tensors) {
            if (t.bitsPerWeight == null) continue;
            bits += t.bitsPerWeight * t.numel;
            weights += t.numel;
        }
        return weights == 0 ? 0.0 : bits / weights;
    }

    /** proxyLoss / proxyEnergy, 0 for an all-zero matrix. */
    public static double relative(double loss, double energy) {
        return energy == 0 ? 0 : loss / energy;
    }
}
