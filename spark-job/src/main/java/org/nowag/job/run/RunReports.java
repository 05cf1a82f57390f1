package org.nowag.job.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.TensorReport;
import org.nowag.job.commit.ShardRecord;
import org.nowag.job.plan.Recipe;
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
        boolean fromFile = planned.recipe.text() != null;
        r.method = single(planned, t -> t.method.name(), "recipe", fromFile ? "none" : opts.method().cliName());
        r.pattern = single(planned, t -> t.params.describe(), "per tensor", fromFile ? "none" : opts.pattern().toString());
        r.dataFree = planned.stats == null;
        r.calibration = r.dataFree ? "none (data-free: every input weighted 1)" : planned.stats.source();
        r.fingerprint = planned.plan.fingerprint;
        r.sparkMaster = master;
        r.recipe = recipe(planned, r.warnings);
        r.budget = planned.budget;
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

    /** The recipe, normalised, each rule with the number of tensors it decided; a rule that decided none is a warning. */
    static ObjectNode recipe(CompressionRun.Planned planned, List<String> warnings) {
        Recipe recipe = planned.recipe;
        Map<Integer, Integer> counts = new java.util.HashMap<>();
        for (TensorInfo t : planned.plan.inputs) {
            Recipe.Rule rule = recipe.ruleFor(t);
            if (rule != null) counts.merge(rule.number, 1, Integer::sum);
        }
        ObjectNode json = recipe.toJson();
        json.put("source", recipe.source());
        for (var e : json.withArray("rules")) {
            int number = e.get("rule").asInt();
            int n = counts.getOrDefault(number, 0);
            ((ObjectNode) e).put("tensors", n);
            if (n == 0 && recipe.text() != null) {
                warnings.add("recipe " + recipe.source() + ": rule " + number + " (" + e.get("match").asText()
                        + ") decided no tensor: an earlier rule took its tensors, or its regex matches none");
            }
        }
        return json;
    }

    /** The one value every target has, or several when they differ (a recipe with several methods). */
    private static String single(CompressionRun.Planned planned, java.util.function.Function<TargetTensor, String> f,
                                 String several, String none) {
        List<String> values = planned.plan.targets.stream().map(f).distinct().toList();
        if (values.isEmpty()) return none;
        return values.size() == 1 ? values.get(0) : several;
    }
}
