package org.nowag.job.budget;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.nowag.job.api.BadOptionException;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.calib.CalibrationStats;
import org.nowag.job.method.vq.VqParams;
import org.nowag.job.plan.BudgetSpec;
import org.nowag.job.plan.Recipe;
import org.nowag.job.plan.TargetTensor;
import org.nowag.kernels.budget.Allocation;
import org.nowag.kernels.budget.Allocator;
import org.nowag.kernels.budget.Budget;
import org.nowag.kernels.budget.CostCurve;
import org.nowag.kernels.budget.DualAscent;
import org.nowag.kernels.budget.Limits;
import org.nowag.kernels.budget.VqBitCurve;
import org.nowag.kernels.vq.VqConfig;

/**
 * A bit budget for NoWag-VQ (compress --budget-bits B, a recipe's budget: {bits: B}): each allocated matrix takes one
 * of the code widths {@link #CANDIDATE_BITS} (K = 2^(bits*d) at the rule's d), chosen by the allocator over curves of
 * stored bits -> data-aware loss from short k-means runs on the executors, so that the stored bits of all of them
 * (codes + codebooks + norms) are at most floor(B * N). docs/budgets.md.
 */
final class VqBudget {
    /** Code widths tried per matrix, where feasible (VqBitCurve.feasible). */
    static final int[] CANDIDATE_BITS = VqBitCurve.DEFAULT_BITS;
    /** k-means iterations of each short run (at most the rule's --vq-iters). */
    static final int CURVE_ITERATIONS = VqBitCurve.DEFAULT_ITERATIONS;

    private static final ObjectMapper JSON = new ObjectMapper();

    private VqBudget() {}

    /**
     * Before Spark starts: a bit budget that cannot apply is bad usage. Every candidate's stored bits follow from the
     * matrix's shape alone, so an average below what the cheapest allowed candidates store is refused here too.
     */
    static void check(Recipe recipe, BudgetSpec b, List<TargetTensor> targets) {
        if (b.rule != BudgetSpec.Rule.ALLOCATE) {
            throw new BadOptionException("budget " + b + ": rule " + b.rule.cliName() + " is for sparsity budgets; a "
                    + "bit budget is allocated (every matrix at b bits is --vq-bits b without a budget)");
        }
        if (targets.isEmpty()) {
            throw new BadOptionException("budget " + b + ": no matrix to allocate; a bit budget applies to the tensors "
                    + "of nowag-vq rules that give no vq-bits of their own (" + recipe.source() + ")");
        }
        long weights = 0;
        long cheapest = 0;
        String worst = null;
        for (TargetTensor t : targets) {
            if (t.blocks.size() > 1) {
                throw new BadOptionException("budget " + b + ": tensor " + t.name() + " is larger than --block-mb (its "
                        + "k-means runs over row blocks); a bit budget needs every allocated matrix in one task: raise "
                        + "--block-mb");
            }
            VqConfig cfg = ((VqParams) t.params).config;
            int rows = Math.toIntExact(t.info.rows());
            int cols = Math.toIntExact(t.info.cols());
            long least = Long.MAX_VALUE;
            for (int bits : VqBitCurve.feasible(rows, cols, cfg.dim, CANDIDATE_BITS)) {
                long stored = VqBitCurve.storedBits(rows, cols, cfg.dim, 1 << (bits * cfg.dim), cfg.halfStorage);
                double perWeight = (double) stored / t.info.numel();
                if (perWeight >= b.min && perWeight <= b.max) least = Math.min(least, stored);
            }
            if (least == Long.MAX_VALUE) {
                throw new BadOptionException("budget " + b + ": tensor " + t.name() + " (" + rows + " x " + cols
                        + ") has no code width of " + java.util.Arrays.toString(CANDIDATE_BITS) + " at d = " + cfg.dim
                        + " (K = 2^(bits*d) must be at most its subvectors and 2^20) that stores between " + b.min
                        + " and " + b.max + " bits per weight");
            }
            weights += t.info.numel();
            cheapest += least;
            if (worst == null) worst = t.name();
        }
        long total = Budget.bitsPerWeight(b.target).total(weights);
        if (cheapest > total) {
            throw new BadOptionException(String.format(Locale.ROOT, "budget %s: the cheapest code widths already store "
                    + "%.4f bits per weight (%d bits for %d weights, codebooks and norms included); give at least that",
                    b, (double) cheapest / weights, cheapest, weights));
        }
    }

    /** Curves on the executors (one short run per candidate), the allocation, and each matrix's K as its setting. */
    static BudgetPlanner.Outcome allocate(Recipe recipe, List<TargetTensor> targets, CalibrationStats stats,
                                          BudgetPlanner.Stages stages, Consumer<String> log) throws IOException {
        BudgetSpec spec = recipe.budget();
        List<VqCurveTask> tasks = new ArrayList<>();
        for (TargetTensor t : targets) {
            tasks.add(new VqCurveTask(t, ((VqParams) t.params).config, stats == null ? null : stats.diagonal(t.name()),
                    CANDIDATE_BITS, CURVE_ITERATIONS));
        }
        List<CostCurve> curves = stages.run("nowag budget: bit curves of " + tasks.size() + " matrices ("
                + CURVE_ITERATIONS + " k-means iterations per code width)", tasks,
                (VqCurveTask task, Configuration conf) -> task.run(conf));
        Allocation a = Allocator.allocate(curves, Budget.bitsPerWeight(spec.target), Limits.bitsPerWeight(spec.min, spec.max),
                DualAscent.defaults());
        Map<String, Allocation.Choice> byName = a.byName();
        Map<String, CompressOptions> settings = new LinkedHashMap<>();
        ObjectNode report = JSON.createObjectNode();
        report.put("budget", spec.toString());
        report.set("spec", spec.toJson());
        ObjectNode cand = report.putObject("candidates");
        ArrayNode cb = cand.putArray("bits");
        for (int bits : CANDIDATE_BITS) cb.add(bits);
        cand.put("iterations", CURVE_ITERATIONS);
        cand.put("cost", "stored bits: codes + codebook + row and column norms");
        ArrayNode matrices = JSON.createArrayNode();
        List<String> lines = new ArrayList<>();
        long weights = 0;
        for (int i = 0; i < targets.size(); i++) {
            TargetTensor t = targets.get(i);
            VqParams p = (VqParams) t.params;
            VqConfig base = p.config;
            Allocation.Choice c = byName.get(t.name());
            int bits = VqBitCurve.bitsOf(c.label);
            int k = 1 << (bits * base.dim);
            VqConfig chosen = new VqConfig(base.dim, k, base.maxIterations, base.seed, base.halfStorage,
                    base.blockSubvectors, base.initSample);
            int rows = Math.toIntExact(t.info.rows());
            int cols = Math.toIntExact(t.info.cols());
            long stored = VqBitCurve.storedBits(rows, cols, base.dim, k, base.halfStorage);
            if (stored != c.cost) {
                throw new IllegalStateException(t.name() + ": K = " + k + " stores " + stored + " bits, not the "
                        + c.cost + " the allocation chose");
            }
            settings.put(t.name(), new CompressOptions().method(CompressionMethod.NOWAG_VQ).vq(chosen)
                    .vqRowBlocks(p.rowBlocks));
            weights += t.info.numel();
            ObjectNode e = matrices.addObject();
            e.put("name", t.name());
            e.put("weights", t.info.numel());
            e.put("bits", bits);
            e.put("codebookSize", k);
            e.put("storedBits", stored);
            e.put("bitsPerWeight", (double) stored / t.info.numel());
            e.put("predictedLoss", c.loss);
            ArrayNode curve = e.putArray("curve");
            CostCurve cv = curves.get(i);
            for (int j = 0; j < cv.points(); j++) {
                ObjectNode pt = curve.addObject();
                int b = VqBitCurve.bitsOf(cv.label(j));
                pt.put("bits", b);
                pt.put("codebookSize", 1 << (b * base.dim));
                pt.put("storedBits", cv.cost(j));
                pt.put("bitsPerWeight", (double) cv.cost(j) / t.info.numel());
                pt.put("loss", cv.loss(j));
            }
            lines.add(String.format(Locale.ROOT, "  %-60s %d bits (K=%d)  stored %d bits = %.4f per weight  loss %.4g",
                    t.name(), bits, k, stored, (double) stored / t.info.numel(), c.loss));
        }
        report.put("matrices_allocated", targets.size());
        report.put("weights", weights);
        report.put("budgetBits", a.budgetTotal);
        report.put("storedBits", a.totalCost);
        report.put("slack", a.slack());
        report.put("averageBitsPerWeight", (double) a.totalCost / weights);
        report.put("lambda", a.lambda);
        report.put("predictedLoss", a.totalLoss);
        report.put("lowerBound", a.lowerBound);
        report.put("gapBound", a.gapBound);
        BudgetPlanner.putTrace(report, a, "storedBits");
        report.set("matrices", matrices);
        String head = String.format(Locale.ROOT, "budget   %s: lambda = %.6g, stored %d of %d bits (%.4f bits per weight "
                        + "over %d weights, slack %d bits), predicted loss %.6g (lower bound %.6g)", spec, a.lambda,
                a.totalCost, a.budgetTotal, (double) a.totalCost / weights, weights, a.slack(), a.totalLoss, a.lowerBound);
        lines.add(0, head);
        log.accept(head);
        return new BudgetPlanner.Outcome(recipe.withTensorSettings(settings), report, lines);
    }
}
