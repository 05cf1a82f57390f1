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

    /** proxyLoss / proxyEnergy, 0 for an all-zero matrix. */
    public static double relative(double loss, double energy) {
        return energy == 0 ? 0 : loss / energy;
    }
}
