package org.nowag.job.api;

import java.util.List;
import org.nowag.job.exec.PartSummary;
import org.nowag.job.plan.TargetTensor;

/** Folds the part summaries of one tensor into its report entry. */
final class TensorReports {
    private TensorReports() {}

    static TensorReport of(TargetTensor t, CompressOptions opts, List<PartSummary> parts) {
        TensorReport r = new TensorReport();
        r.name = t.name();
        r.dtype = t.info.dtype().name();
        r.shape = t.info.shape();
        r.method = opts.method().cliName();
        r.pattern = opts.pattern().toString();
        r.blocks = t.blocks.size();
        for (PartSummary p : parts) {
            r.numel += p.numel;
            r.kept += p.kept;
            r.proxyLoss += p.proxyLoss;
            r.proxyEnergy += p.proxyEnergy;
            r.dataAwareLoss += p.dataAwareLoss;
            r.seconds += p.seconds;
            r.bytes += p.bytesRead;
            if (p.reused) r.blocksReused++;
            if (p.outputLoss >= 0) r.outputLoss = (r.outputLoss == null ? 0 : r.outputLoss) + p.outputLoss;
        }
        r.sparsity = r.numel == 0 ? 0 : 1.0 - (double) r.kept / r.numel;
        r.proxyLossRelative = r.proxyEnergy == 0 ? 0 : r.proxyLoss / r.proxyEnergy;
        // NoWag reference storage count: 16 bits per row (norm) + 32 bits per kept weight (value + index).
        r.referenceBitsPerWeight = r.numel == 0 ? 0 : (16.0 * t.info.rows() + 32.0 * r.kept) / r.numel;
        if (opts.pattern().isNOfM() && opts.pattern().n() == 2 && opts.pattern().m() == 4) {
            r.compact24BitsPerWeight = r.numel == 0 ? 0 : (16.0 + 2.0) * r.kept / r.numel;
        }
        return r;
    }
}
