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
import org.nowag.job.method.Preparation;
import org.nowag.job.method.prune.PruneParams;
import org.nowag.job.method.prune.PruningPlugin;
import org.nowag.job.method.vq.VqPlugin;
import org.nowag.job.plan.BudgetSpec;
import org.nowag.job.plan.CompressionPlan;
import org.nowag.job.plan.Recipe;
import org.nowag.job.plan.TargetTensor;
import org.nowag.kernels.budget.Allocation;
import org.nowag.kernels.budget.Allocator;
import org.nowag.kernels.budget.Budget;
import org.nowag.kernels.budget.CostCurve;
import org.nowag.kernels.budget.CurveSpec;
import org.nowag.kernels.budget.DualAscent;
import org.nowag.kernels.budget.Limits;
import org.nowag.kernels.budget.Owl;
import org.nowag.kernels.budget.RowLossProfile;
import org.nowag.kernels.prune.SparsityPattern;

/**
 * A recipe's budget, on the driver: which matrices it allocates, their loss curves (one Spark task per matrix: the
 * weights stay on the executors, the driver receives the curves), the allocation, and the per-tensor settings that
 * replace the rule's in the recipe. docs/budgets.md.
 */
public final class BudgetPlanner {
    /** Segments per whole-matrix curve: the driver holds at most this many + 1 points per matrix. */
    static final int MAX_SEGMENTS = 512;
    /** Per-row curves: sparsities 0, 0.01, ..., 0.99 (the per-row group moves in steps of one weight per row). */
    static final double[] ROW_GRID = grid();

    private static final ObjectMapper JSON = new ObjectMapper();

    private BudgetPlanner() {}

    /** Runs one Spark stage (the run's own, with its fault hooks). */
    public interface Stages {
        <T, R> List<R> run(String description, List<T> tasks, Preparation.ConfTask<T, R> fn) throws IOException;
    }

    /** The recipe with the budget's per-tensor settings, and what report.json and the dry run say about it. */
    public static final class Outcome {
        public final Recipe recipe;
        public final ObjectNode report;
        public final List<String> lines;

        public Outcome(Recipe recipe, ObjectNode report, List<String> lines) {
            this.recipe = recipe;
            this.report = report;
            this.lines = lines;
        }
    }

    /**
     * Whether a rule's tensors take the budget's settings: a pruning method (the methods with a sparsity knob) whose
     * rule gives no sparsity or pattern of its own.
     */
    public static boolean allocates(Recipe.Rule rule) {
        return allocates(rule, BudgetSpec.Kind.SPARSITY);
    }

    /**
     * Whether a rule's tensors take a budget's settings: for a sparsity budget a pruning method whose rule gives no
     * sparsity or pattern; for a bit budget a nowag-vq rule that gives no vq-bits.
     */
    public static boolean allocates(Recipe.Rule rule, BudgetSpec.Kind kind) {
        if (rule == null) return false;
        if (kind == BudgetSpec.Kind.BITS) return rule.method instanceof VqPlugin && !rule.given.containsKey("vq-bits");
        return rule.method instanceof PruningPlugin && !rule.given.containsKey("sparsity")
                && !rule.given.containsKey("pattern");
    }

    /** The planned tensors the budget allocates, in plan order. */
    public static List<TargetTensor> budgeted(Recipe recipe, CompressionPlan plan) {
        BudgetSpec.Kind kind = recipe.budget() == null ? BudgetSpec.Kind.SPARSITY : recipe.budget().kind;
        List<TargetTensor> out = new ArrayList<>();
        for (TargetTensor t : plan.targets) {
            if (allocates(recipe.ruleFor(t.info), kind)) out.add(t);
        }
        return out;
    }

    /** Before anything runs: a budget that cannot apply is bad usage (exit 2), said in one line. */
    public static void check(Recipe recipe, CompressionPlan plan) {
        BudgetSpec b = recipe.budget();
        if (b == null) return;
        if (b.kind == BudgetSpec.Kind.BITS) {
            VqBudget.check(recipe, b, budgeted(recipe, plan));
            return;
        }
        if (budgeted(recipe, plan).isEmpty()) {
            throw new BadOptionException("budget " + b + ": no matrix to allocate; a sparsity budget applies to the "
                    + "tensors of nowag-p, wanda and magnitude rules that give no sparsity or pattern of their own ("
                    + recipe.source() + ")");
        }
    }

    /** Curves on the executors, then the allocation on the driver. */
    public static Outcome allocate(Recipe recipe, CompressionPlan plan, CalibrationStats stats, Stages stages,
                                   Consumer<String> log) throws IOException {
        BudgetSpec spec = recipe.budget();
        check(recipe, plan);
        List<TargetTensor> targets = budgeted(recipe, plan);
        if (spec.kind == BudgetSpec.Kind.BITS) return VqBudget.allocate(recipe, targets, stats, stages, log);
        List<CurveTask> tasks = new ArrayList<>();
        for (TargetTensor t : targets) {
            PruneParams p = (PruneParams) t.params;
            SparsityPattern.Group group = p.pattern.group();
            int[] keptPerRow = group == SparsityPattern.Group.ROW
                    ? RowLossProfile.keptPerRowForSparsities(Math.toIntExact(t.info.cols()), ROW_GRID) : null;
            float[] s = stats == null ? null : stats.diagonal(t.name());
            tasks.add(new CurveTask(t, p.kernel, CurveSpec.unstructured(group), s, MAX_SEGMENTS, keptPerRow));
        }
        List<CostCurve> curves = stages.run("nowag budget: loss curves of " + tasks.size() + " matrices", tasks,
                (CurveTask task, Configuration conf) -> task.run(conf));
        ObjectNode owl = spec.rule == BudgetSpec.Rule.OWL ? owl(targets, stats, spec, stages) : null;
        return choose(recipe, targets, curves, owl, log);
    }

    /**
     * OWL's layer sparsities (M = 5, lambda = 0.08, as the reference runs it): two passes over the Wanda metric of
     * every allocated matrix (the layer's mean, then the count above M times it), a layer being the matrices whose
     * names share their first number (model.layers.N..., encoder.layer.N...). Returns the layers and each matrix's
     * sparsity.
     */
    static ObjectNode owl(List<TargetTensor> targets, CalibrationStats stats, BudgetSpec spec, Stages stages)
            throws IOException {
        List<OwlTask> first = new ArrayList<>();
        for (TargetTensor t : targets) first.add(new OwlTask(t, stats == null ? null : stats.diagonal(t.name()), Double.NaN));
        List<double[]> sums = stages.run("nowag budget: OWL means of " + first.size() + " matrices", first,
                (OwlTask task, Configuration conf) -> task.run(conf));
        Map<String, double[]> layers = new LinkedHashMap<>();  // layer -> {sum, count, above}
        for (int i = 0; i < targets.size(); i++) {
            double[] l = layers.computeIfAbsent(layerOf(targets.get(i).name()), k -> new double[3]);
            l[0] += sums.get(i)[0];
            l[1] += sums.get(i)[1];
        }
        List<OwlTask> second = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            double[] l = layers.get(layerOf(targets.get(i).name()));
            second.add(new OwlTask(targets.get(i), first.get(i).activations, Owl.DEFAULT_M * l[0] / l[1]));
        }
        List<double[]> above = stages.run("nowag budget: OWL outliers of " + second.size() + " matrices", second,
                (OwlTask task, Configuration conf) -> task.run(conf));
        for (int i = 0; i < targets.size(); i++) layers.get(layerOf(targets.get(i).name()))[2] += above.get(i)[0];
        double[] ratios = new double[layers.size()];
        int n = 0;
        for (double[] l : layers.values()) ratios[n++] = Owl.outlierRatio((long) l[2], (long) l[1]);
        double[] sparsity = Owl.layerSparsities(ratios, spec.target, Owl.DEFAULT_LAMBDA);
        ObjectNode o = JSON.createObjectNode();
        o.put("M", Owl.DEFAULT_M);
        o.put("lambda", Owl.DEFAULT_LAMBDA);
        ArrayNode list = o.putArray("layers");
        ObjectNode byMatrix = o.putObject("sparsity");
        Map<String, Double> layerSparsity = new LinkedHashMap<>();
        n = 0;
        for (String layer : layers.keySet()) {
            ObjectNode e = list.addObject();
            e.put("layer", layer);
            e.put("outlierRatio", ratios[n]);
            e.put("sparsity", sparsity[n]);
            layerSparsity.put(layer, sparsity[n++]);
        }
        for (TargetTensor t : targets) byMatrix.put(t.name(), layerSparsity.get(layerOf(t.name())));
        return o;
    }

    /** The layer of a matrix: the first number between dots in its name (the whole name when there is none). */
    static String layerOf(String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\.(\\d+)\\.").matcher(name);
        return m.find() ? name.substring(0, m.end() - 1) : name;
    }

    /** The settings per matrix from the curves, by the budget's rule. Deterministic: same curves, same choice. */
    static Outcome choose(Recipe recipe, List<TargetTensor> targets, List<CostCurve> curves, ObjectNode owl,
                          Consumer<String> log) {
        BudgetSpec spec = recipe.budget();
        Map<String, SparsityPattern> patterns = new LinkedHashMap<>();
        Allocation allocation = null;
        if (spec.rule == BudgetSpec.Rule.ALLOCATE) {
            allocation = Allocator.allocate(curves, Budget.sparsity(spec.target), Limits.sparsity(spec.min, spec.max),
                    DualAscent.defaults());
            Map<String, Allocation.Choice> byName = allocation.byName();
            for (TargetTensor t : targets) {
                Allocation.Choice c = byName.get(t.name());
                SparsityPattern p = c.pruningPattern(((PruneParams) t.params).pattern.group());
                if (kept(t, p) != c.cost) {
                    throw new IllegalStateException(t.name() + ": pattern " + p + " keeps " + kept(t, p)
                            + " weights, not the " + c.cost + " the allocation chose");
                }
                patterns.put(t.name(), p);
            }
        } else if (spec.rule == BudgetSpec.Rule.UNIFORM) {
            for (TargetTensor t : targets) patterns.put(t.name(), uniform(t, spec.target));
        } else {
            for (TargetTensor t : targets) {
                patterns.put(t.name(), SparsityPattern.unstructured(owl.get("sparsity").get(t.name()).asDouble(),
                        ((PruneParams) t.params).pattern.group()));
            }
        }
        Map<String, CompressOptions> settings = new LinkedHashMap<>();
        ObjectNode report = JSON.createObjectNode();
        report.put("budget", spec.toString());
        report.set("spec", spec.toJson());
        ArrayNode matrices = JSON.createArrayNode();
        List<String> lines = new ArrayList<>();
        long weights = 0;
        long keptTotal = 0;
        double loss = 0;
        double uniformLoss = 0;
        for (int i = 0; i < targets.size(); i++) {
            TargetTensor t = targets.get(i);
            CostCurve curve = curves.get(i);
            SparsityPattern chosen = patterns.get(t.name());
            long k = kept(t, chosen);
            CompressionMethod m = CompressionMethod.parse(t.method.name());
            settings.put(t.name(), new CompressOptions().method(m).pattern(chosen));
            long uniformKept = kept(t, uniform(t, spec.target));
            double lossHere = curve.isSetting(k) ? curve.lossAt(k) : Double.NaN;
            double lossUniform = curve.isSetting(uniformKept) ? curve.lossAt(uniformKept) : Double.NaN;
            weights += t.info.numel();
            keptTotal += k;
            loss += lossHere;
            uniformLoss += lossUniform;
            ObjectNode e = matrices.addObject();
            e.put("name", t.name());
            e.put("method", t.method.name());
            e.put("weights", t.info.numel());
            e.put("kept", k);
            e.put("sparsity", 1.0 - (double) k / t.info.numel());
            e.put("pattern", chosen.toString());
            putNumber(e, "predictedLoss", lossHere);
            putNumber(e, "lossErrorBound", curve.isSetting(k) ? curve.errorBoundAt(k) : Double.NaN);
            putNumber(e, "uniformLoss", lossUniform);
            ObjectNode c = e.putObject("curve");
            c.put("points", curve.points());
            c.put("minKept", curve.minCost());
            c.put("maxKept", curve.maxCost());
            c.put("lossAtMinKept", curve.loss(0));
            c.put("lossAtMaxKept", curve.loss(curve.points() - 1));
            lines.add(String.format(Locale.ROOT, "  %-60s sparsity %.4f  kept %d of %d  loss %.4g (uniform %.4g)",
                    t.name(), 1.0 - (double) k / t.info.numel(), k, t.info.numel(), lossHere, lossUniform));
        }
        report.put("matrices_allocated", targets.size());
        report.put("weights", weights);
        report.put("kept", keptTotal);
        report.put("overallSparsity", weights == 0 ? 0 : 1.0 - (double) keptTotal / weights);
        putNumber(report, "predictedLoss", loss);
        putNumber(report, "uniformPredictedLoss", uniformLoss);
        String head;
        if (allocation != null) {
            report.put("budgetKept", allocation.budgetTotal);
            report.put("lambda", allocation.lambda);
            report.put("slack", allocation.slack());
            putNumber(report, "lowerBound", allocation.lowerBound);
            putNumber(report, "gapBound", allocation.gapBound);
            putTrace(report, allocation, "kept");
            head = String.format(Locale.ROOT, "budget   %s: lambda = %.6g, kept %d of %d weights (target %d, slack %d), "
                            + "predicted loss %.6g (uniform %.6g, lower bound %.6g)", spec, allocation.lambda, keptTotal,
                    weights, allocation.budgetTotal, allocation.slack(), loss, uniformLoss, allocation.lowerBound);
        } else {
            head = String.format(Locale.ROOT, "budget   %s: kept %d of %d weights, predicted loss %.6g", spec, keptTotal,
                    weights, loss);
        }
        report.set("matrices", matrices);
        if (owl != null) report.set("owl", owl);
        lines.add(0, head);
        if (owl != null) {
            for (var l : owl.get("layers")) {
                lines.add(String.format(Locale.ROOT, "  owl layer %s: outlier ratio %.3f%%, sparsity %.4f",
                        l.get("layer").asText(), l.get("outlierRatio").asDouble(), l.get("sparsity").asDouble()));
            }
        }
        log.accept(head);
        return new Outcome(recipe.withTensorSettings(settings), report, lines);
    }

    /** The allocator's search, one entry per λ it evaluated: phase, λ, the total cost (named costKey) and loss. */
    static void putTrace(ObjectNode report, Allocation allocation, String costKey) {
        ArrayNode trace = report.putArray("trace");
        for (Allocation.Step s : allocation.trace) {
            ObjectNode st = trace.addObject();
            st.put("phase", s.phase);
            st.put("lambda", s.lambda);
            st.put(costKey, s.cost);
            st.put("loss", s.loss);
        }
    }

    /** Weights a pattern keeps in the matrix, as the pruner counts them (per row for the row group). */
    static long kept(TargetTensor t, SparsityPattern p) {
        if (p.group() == SparsityPattern.Group.ROW) return t.info.rows() * p.keptPerGroup(t.info.cols());
        return p.keptPerGroup(t.info.numel());
    }

    private static SparsityPattern uniform(TargetTensor t, double sparsity) {
        return SparsityPattern.unstructured(sparsity, ((PruneParams) t.params).pattern.group());
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v);
        else o.putNull(key);
    }

    private static double[] grid() {
        double[] g = new double[100];
        for (int i = 0; i < g.length; i++) g[i] = i / 100.0;
        return g;
    }
}
