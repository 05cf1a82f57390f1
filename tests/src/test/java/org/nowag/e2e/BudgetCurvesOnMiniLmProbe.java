package org.nowag.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.kernels.budget.Allocation;
import org.nowag.kernels.budget.Allocator;
import org.nowag.kernels.budget.Budget;
import org.nowag.kernels.budget.CostCurve;
import org.nowag.kernels.budget.CurveSpec;
import org.nowag.kernels.budget.DualAscent;
import org.nowag.kernels.budget.Limits;
import org.nowag.kernels.budget.PruneSketch;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.nowag.kernels.prune.PruneMethod;
import org.nowag.kernels.prune.PruneResult;
import org.nowag.kernels.prune.Pruner;
import org.nowag.kernels.prune.SparsityPattern;

/**
 * Not a test: measures the budget's cost curves on the 36 linear weights of real MiniLM (docs/results). For each
 * method: how wide the histogram interpolation bound is on real weights and how far the curve's estimate is from
 * the pruner's own loss, at uniform 50/60/70%; then the allocation's total data-aware loss against uniform sparsity
 * at the same kept count, and whether the count is met exactly.
 *
 * <p>Usage: BudgetCurvesOnMiniLmProbe MODEL.safetensors [STATS.safetensors] [SEGMENTS]
 */
public final class BudgetCurvesOnMiniLmProbe {
    private BudgetCurvesOnMiniLmProbe() {}

    public static void main(String[] args) throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        int segments = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
        try (SafetensorsFile model = SafetensorsFile.open(fs, new Path(args[0]));
             SafetensorsFile stats = args.length > 1 && !args[1].equals("-") ? SafetensorsFile.open(fs, new Path(args[1])) : null) {
            List<String> names = new ArrayList<>();
            List<float[]> ws = new ArrayList<>();
            List<float[]> ss = new ArrayList<>();
            List<int[]> shapes = new ArrayList<>();
            for (TensorInfo t : model.header().tensors()) {
                if (!t.name().matches("encoder\\.layer\\.\\d+\\..*\\.weight") || t.shape().length != 2) continue;
                int rows = Math.toIntExact(t.shape()[0]);
                int cols = Math.toIntExact(t.shape()[1]);
                names.add(t.name());
                ws.add(model.readRowsAsFloat(t.name(), 0, rows));
                ss.add(stats == null ? null : stats.readRowsAsFloat(t.name(), 0, cols));
                shapes.add(new int[] {rows, cols});
            }
            System.out.printf(Locale.ROOT, "%d linear weights, calibration %s, %d segments per whole-matrix curve%n",
                    names.size(), stats == null ? "none (s = 1)" : args[1], segments);
            for (PruneMethod method : new PruneMethod[] {PruneMethod.NOWAG_P, PruneMethod.WANDA, PruneMethod.MAGNITUDE}) {
                probe(method, names, ws, ss, shapes, segments);
            }
        }
    }

    static void probe(PruneMethod method, List<String> names, List<float[]> ws, List<float[]> ss, List<int[]> shapes,
                      int segments) {
        SparsityPattern.Group group = method.defaultGroup();
        List<CostCurve> curves = new ArrayList<>();
        List<float[]> colNorms = new ArrayList<>();
        long start = System.nanoTime();
        for (int m = 0; m < names.size(); m++) {
            int rows = shapes.get(m)[0];
            int cols = shapes.get(m)[1];
            double[] sumSquares = new double[cols];
            NoWagNormalizer.accumulateColumnSumSquares(ws.get(m), rows, cols, sumSquares);
            float[] c = NoWagNormalizer.columnNorms(sumSquares);
            colNorms.add(c);
            PruneSketch sk = PruneSketch.of(method, CurveSpec.unstructured(group), ws.get(m), rows, cols, c, ss.get(m));
            curves.add(sk.toCurve(names.get(m), (long) rows * cols, segments, null));
        }
        double sketchSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%n== %s (group %s): sketches of all 36 matrices in %.2f s ==%n", method, group,
                sketchSeconds);
        for (double p : new double[] {0.5, 0.6, 0.7}) {
            double worstBound = 0;
            double worstError = 0;
            double lossSum = 0;
            double estSum = 0;
            double boundSum = 0;
            for (int m = 0; m < names.size(); m++) {
                int rows = shapes.get(m)[0];
                int cols = shapes.get(m)[1];
                SparsityPattern pat = SparsityPattern.unstructured(p, group);
                PruneResult r = Pruner.prune(method, pat, ws.get(m), rows, cols, colNorms.get(m), ss.get(m));
                CostCurve c = curves.get(m);
                long k = r.keptCount;
                if (!c.isSetting(k)) continue; // per-row curves: every rows * k is a point
                double est = c.lossAt(k);
                double bound = c.errorBoundAt(k);
                worstBound = Math.max(worstBound, bound / r.dataAwareLoss);
                worstError = Math.max(worstError, Math.abs(est - r.dataAwareLoss) / r.dataAwareLoss);
                lossSum += r.dataAwareLoss;
                estSum += est;
                boundSum += bound;
            }
            System.out.printf(Locale.ROOT, "uniform %.0f%%: curve vs pruner, worst matrix: stated bound %.3g, actual"
                            + " error %.3g (relative to its loss); model sum: bound %.3g, error %.3g%n", 100 * p,
                    worstBound, worstError, boundSum / lossSum, Math.abs(estSum - lossSum) / lossSum);
        }
        for (double p : new double[] {0.5, 0.6, 0.7}) {
            long t0 = System.nanoTime();
            Allocation a = Allocator.allocate(curves, Budget.sparsity(p), Limits.sparsity(0.2, 0.9),
                    DualAscent.defaults());
            double allocSeconds = (System.nanoTime() - t0) / 1e9;
            double uniform = 0;
            long uniformKept = 0;
            double actual = 0;
            long kept = 0;
            double minS = 1;
            double maxS = 0;
            for (int m = 0; m < names.size(); m++) {
                int rows = shapes.get(m)[0];
                int cols = shapes.get(m)[1];
                Allocation.Choice ch = a.choices.get(m);
                PruneResult r = Pruner.prune(method, ch.pruningPattern(group), ws.get(m), rows, cols, colNorms.get(m),
                        ss.get(m));
                PruneResult u = Pruner.prune(method, SparsityPattern.unstructured(p, group), ws.get(m), rows, cols,
                        colNorms.get(m), ss.get(m));
                actual += r.dataAwareLoss;
                uniform += u.dataAwareLoss;
                uniformKept += u.keptCount;
                kept += r.keptCount;
                double sp = 1 - (double) r.keptCount / ((long) rows * cols);
                minS = Math.min(minS, sp);
                maxS = Math.max(maxS, sp);
            }
            int ascent = 0;
            int search = 0;
            for (Allocation.Step s : a.trace) {
                if (s.phase.equals("ascent")) ascent++;
                if (s.phase.equals("search")) search++;
            }
            if (p == 0.7) {
                java.util.Map<String, StringBuilder> byKind = new java.util.TreeMap<>();
                for (Allocation.Choice ch : a.choices) {
                    String kind = ch.name.replaceFirst("encoder\\.layer\\.\\d+\\.", "").replace(".weight", "");
                    byKind.computeIfAbsent(kind, x -> new StringBuilder()).append(String.format(Locale.ROOT, " %.2f",
                            1 - ch.costPerWeight()));
                }
                System.out.println("  chosen sparsity at 70% by matrix kind, layers 0..5:");
                for (java.util.Map.Entry<String, StringBuilder> e : byKind.entrySet()) {
                    System.out.printf(Locale.ROOT, "    %-26s%s%n", e.getKey(), e.getValue());
                }
            }
            System.out.printf(Locale.ROOT, "budget %.0f%%: kept %d of target %d (uniform keeps %d); data-aware loss"
                            + " allocated %.6g vs uniform %.6g (ratio %.4f); per-matrix sparsity %.3f..%.3f; lambda %.4g;"
                            + " %d ascent + %d search evaluations; gap bound %.3g; %.3f s%n",
                    100 * p, kept, a.budgetTotal, uniformKept, actual, uniform, actual / uniform, minS, maxS, a.lambda,
                    ascent, search, a.gapBound / a.totalLoss, allocSeconds);
        }
    }
}
