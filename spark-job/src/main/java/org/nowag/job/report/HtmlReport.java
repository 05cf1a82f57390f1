package org.nowag.job.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.TensorReport;

/**
 * report.html: the run's report.json for people. One self-contained page (inline CSS and SVG, no script, nothing
 * fetched): per layer kind the proxy loss per layer, sparsity per layer, time per matrix, and the tables.
 * Well-formed XHTML, so any XML parser reads it.
 */
public final class HtmlReport {
    /** "encoder.layer.3.attention.self.query.weight": the block index and what follows it (the layer kind). */
    private static final Pattern LAYER = Pattern.compile("^(?:.*?\\.)?layers?\\.(\\d+)\\.(.+)$");

    private HtmlReport() {}

    /** The layer kind of a tensor ("attention.self.query.weight"), or its whole name outside numbered blocks. */
    public static String kind(String tensor) {
        Matcher m = LAYER.matcher(tensor);
        return m.matches() ? m.group(2) : tensor;
    }

    /** The block index of a tensor, or -1 outside numbered blocks. */
    public static int layer(String tensor) {
        Matcher m = LAYER.matcher(tensor);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    public static String render(CompressionReport r) {
        Map<String, List<TensorReport>> byKind = new LinkedHashMap<>();
        Map<Integer, long[]> keptPerLayer = new TreeMap<>();
        for (TensorReport t : r.tensors) {
            byKind.computeIfAbsent(kind(t.name), k -> new ArrayList<>()).add(t);
            long[] k = keptPerLayer.computeIfAbsent(layer(t.name), i -> new long[2]);
            k[0] += t.kept;
            k[1] += t.numel;
        }
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/>")
                .append("<title>nowag report: ").append(Svg.esc(name(r.output))).append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222}")
                .append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}")
                .append("td:first-child,th:first-child{text-align:left}svg.plot{display:block;margin:8px 0 18px}")
                .append(".bar{fill:#3a6ea5}.plot.sparsity .bar{fill:#5a9e4b}.plot.time .bar{fill:#c07a2c}")
                .append(".axis{stroke:#444}.tick{font-size:10px;fill:#444}.axis-label{font-size:11px;fill:#444}")
                .append(".plot-title{font-size:13px;font-weight:bold;fill:#222}")
                .append("</style></head><body>\n");
        h.append("<h1>nowag report: ").append(Svg.esc(name(r.output))).append("</h1>\n");
        summary(h, r);

        h.append("<h2 id=\"proxy-loss\">Proxy loss per layer</h2>\n<p>Per layer kind: the proxy loss of each block's ")
                .append("matrix relative to its proxy energy (the loss of removing every weight; before compression the ")
                .append("loss is 0). Hover a bar for its value.</p>\n");
        for (Map.Entry<String, List<TensorReport>> e : byKind.entrySet()) {
            List<String> labels = new ArrayList<>();
            double[] v = new double[e.getValue().size()];
            for (int i = 0; i < v.length; i++) {
                TensorReport t = e.getValue().get(i);
                int layer = layer(t.name);
                labels.add(layer < 0 ? t.name : String.valueOf(layer));
                v[i] = t.proxyLossRelative;
            }
            h.append(Svg.columns("proxy-loss", e.getKey(), e.getKey() + ": proxy loss / proxy energy",
                    "layer; y: relative proxy loss", labels, v)).append('\n');
        }

        h.append("<h2 id=\"sparsity\">Sparsity per layer</h2>\n");
        List<String> layerLabels = new ArrayList<>();
        double[] sparsity = new double[keptPerLayer.size()];
        int i = 0;
        for (Map.Entry<Integer, long[]> e : keptPerLayer.entrySet()) {
            layerLabels.add(e.getKey() < 0 ? "other" : String.valueOf(e.getKey()));
            sparsity[i++] = e.getValue()[1] == 0 ? 0 : 1 - (double) e.getValue()[0] / e.getValue()[1];
        }
        h.append(Svg.columns("sparsity", "all", "fraction of weights set to zero, per layer", "layer; y: sparsity",
                layerLabels, sparsity)).append('\n');

        h.append("<h2 id=\"time\">Time per matrix</h2>\n<p>Kernel task seconds in this run (0 for blocks reused from ")
                .append("an earlier run).</p>\n");
        List<String> names = new ArrayList<>();
        double[] seconds = new double[r.tensors.size()];
        for (int t = 0; t < seconds.length; t++) {
            names.add(r.tensors.get(t).name);
            seconds[t] = r.tensors.get(t).seconds;
        }
        h.append(Svg.rows("time", "all", "kernel seconds per matrix", "seconds", names, seconds)).append('\n');

        h.append("<h2 id=\"evaluation\">Evaluation</h2>\n<p>Not part of a compress run: <code>nowag evaluate</code> ")
                .append("compares this model with the original on held-out text and writes evaluation.json.</p>\n");
        tensors(h, r);
        return h.append("</body></html>\n").toString();
    }

    private static String name(String path) {
        if (path == null) return "";
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    private static void summary(StringBuilder h, CompressionReport r) {
        h.append("<table class=\"summary\">");
        row(h, "model", r.model);
        row(h, "output", r.output);
        row(h, "method", r.method);
        row(h, "pattern", r.pattern);
        row(h, "calibration", r.calibration + (r.dataFree ? " (data-free)" : ""));
        row(h, "tensors compressed / copied", r.tensorsCompressed + " / " + r.tensorsCopied);
        row(h, "overall sparsity", String.format(Locale.ROOT, "%.4f", r.overallSparsity));
        row(h, "total proxy loss / energy", Svg.num(r.totalProxyLoss) + " / " + Svg.num(r.totalProxyEnergy));
        row(h, "kernel tasks run / parts reused", r.kernelTasksRun + " / " + r.partsReused);
        row(h, "wall seconds", String.format(Locale.ROOT, "%.1f", r.wallSeconds));
        row(h, "Spark master", r.sparkMaster);
        row(h, "tool", r.tool);
        h.append("</table>\n");
    }

    private static void row(StringBuilder h, String key, String value) {
        h.append("<tr><th>").append(Svg.esc(key)).append("</th><td>").append(Svg.esc(String.valueOf(value)))
                .append("</td></tr>");
    }

    private static void tensors(StringBuilder h, CompressionReport r) {
        h.append("<h2 id=\"tensors\">Tensors</h2>\n<table class=\"tensors\"><tr><th>tensor</th><th>shape</th><th>dtype</th>")
                .append("<th>sparsity</th><th>proxy loss</th><th>relative</th><th>data-aware loss</th><th>seconds</th></tr>");
        for (TensorReport t : r.tensors) {
            StringBuilder shape = new StringBuilder();
            if (t.shape != null) for (long d : t.shape) shape.append(shape.length() == 0 ? "" : "x").append(d);
            h.append("<tr><td>").append(Svg.esc(t.name)).append("</td><td>").append(shape).append("</td><td>")
                    .append(Svg.esc(String.valueOf(t.dtype))).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.4f", t.sparsity)).append("</td><td>").append(Svg.num(t.proxyLoss))
                    .append("</td><td>").append(String.format(Locale.ROOT, "%.4f", t.proxyLossRelative)).append("</td><td>")
                    .append(Svg.num(t.dataAwareLoss)).append("</td><td>").append(String.format(Locale.ROOT, "%.3f", t.seconds))
                    .append("</td></tr>");
        }
        h.append("</table>\n");
    }
}
