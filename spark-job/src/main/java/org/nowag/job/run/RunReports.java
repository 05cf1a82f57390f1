package org.nowag.job.run;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.TensorReport;
import org.nowag.job.commit.ShardRecord;
import org.nowag.job.plan.TargetTensor;

/** report.json of a run, from the plan and the shards' records (this run's and an earlier run's). */
final class RunReports {
    private RunReports() {}

    static CompressionReport build(CompressionRun.Planned planned, CompressOptions opts, String master, Path out,
                                   Map<String, ShardRecord> reused, Map<String, ShardRecord> written,
                                   Map<String, String> nonFinite) {
        CompressionReport r = new CompressionReport();
        r.model = planned.model.root().toString();
        r.output = out.toString();
        r.method = single(planned, t -> t.method.name(), "recipe", opts.method().cliName());
        r.pattern = single(planned, t -> t.params.describe(), "per tensor", opts.pattern().toString());
        r.dataFree = planned.stats == null;
        r.calibration = r.dataFree ? "none (data-free: every input weighted 1)" : planned.stats.source();
        r.fingerprint = planned.plan.fingerprint;
        r.sparkMaster = master;
        Map<String, TensorReport> byName = new java.util.HashMap<>();
        for (ShardRecord s : reused.values()) {
            for (TensorReport t : s.tensors) {
                t.seconds = 0;
                t.blocksReused = t.blocks;
                byName.put(t.name, t);
                r.partsReused += t.blocks;
            }
            r.shardsReused++;
        }
        for (ShardRecord s : written.values()) {
            for (TensorReport t : s.tensors) byName.put(t.name, t);
            r.kernelTasksRun += s.blocksComputed;
            r.shardsWritten++;
            if (s.arrow != null) r.arrowPartFilesWritten++;
        }
        long kept = 0;
        long total = 0;
        double bits = 0;
        long bitsWeights = 0;
        for (TargetTensor t : planned.plan.targets) {
            TensorReport tr = byName.get(t.name());
            if (tr == null) continue;  // copied unchanged: NaN or infinite weights
            r.tensors.add(tr);
            tr.storedBitsPerWeight = tr.bitsPerWeight != null ? tr.bitsPerWeight : denseBits(tr.dtype);
            kept += tr.kept;
            total += tr.numel;
            r.totalProxyLoss += tr.proxyLoss;
            r.totalProxyEnergy += tr.proxyEnergy;
            if (tr.bitsPerWeight != null) {
                bits += tr.bitsPerWeight * tr.numel;
                bitsWeights += tr.numel;
            }
        }
        r.tensorsCompressed = r.tensors.size();
        r.tensorsCopied = planned.plan.inputs.size() - r.tensorsCompressed;
        r.overallSparsity = total == 0 ? 0 : 1.0 - (double) kept / total;
        r.bitsPerWeight = bitsWeights == 0 ? null : bits / bitsWeights;
        nonFinite.forEach((name, why) -> {
            r.skippedNonFinite.add(name);
            r.warnings.add(name + " holds NaN or infinite weights (" + why + "); copied unchanged, not compressed");
        });
        return r;
    }

    /** The width of a dense weight's dtype in bits, or null for a name this build does not know. */
    static Double denseBits(String dtype) {
        try {
            return dtype == null ? null : 8.0 * org.nowag.io.safetensors.DType.parse("report", dtype).bytes();
        } catch (java.io.IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The one value every target has, or several when they differ (a recipe with several methods). */
    private static String single(CompressionRun.Planned planned, java.util.function.Function<TargetTensor, String> f,
                                 String several, String none) {
        List<String> values = planned.plan.targets.stream().map(f).distinct().toList();
        if (values.isEmpty()) return none;
        return values.size() == 1 ? values.get(0) : several;
    }
}
