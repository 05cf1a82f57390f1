package org.nowag.job.report;

import java.util.List;
import java.util.Locale;

/** Inline SVG bar charts (no script, no external files), so report.html opens anywhere, offline. */
final class Svg {
    private Svg() {}

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String num(double v) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.1f" : a >= 1 ? "%.3f" : "%.4g", v);
    }

    /**
     * Vertical bars, one per label, with a y axis from 0 to the largest value. {@code cssClass} and {@code kind}
     * end up as attributes so the page (and its test) can tell the plots apart.
     */
    static String columns(String cssClass, String kind, String title, String yLabel, List<String> labels, double[] values) {
        int n = values.length;
        int left = 60, right = 10, top = 28, bottom = 34, plotH = 160;
        int barW = Math.max(6, Math.min(40, 600 / Math.max(1, n)));
        int width = left + n * barW + right;
        int height = top + plotH + bottom;
        double max = 0;
        for (double v : values) if (Double.isFinite(v)) max = Math.max(max, v);
        if (max <= 0) max = 1;
        StringBuilder s = header(cssClass, kind, title, width, height);
        axis(s, left, top, plotH, max, yLabel);
        int labelEvery = Math.max(1, (int) Math.ceil(n / 30.0));
        for (int i = 0; i < n; i++) {
            double v = Double.isFinite(values[i]) ? Math.max(0, values[i]) : 0;
            double h = plotH * v / max;
            int x = left + i * barW;
            s.append(String.format(Locale.ROOT,
                    "<rect class=\"bar\" x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\"><title>%s: %s</title></rect>",
                    x + 1, top + plotH - h, barW - 2, h, esc(labels.get(i)), num(values[i])));
            if (i % labelEvery == 0) {
                s.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                        x + barW / 2, top + plotH + 14, esc(labels.get(i))));
            }
        }
        return s.append("</svg>").toString();
    }

    /** Horizontal bars, one row per label (long names such as tensor names fit on the left). */
    static String rows(String cssClass, String kind, String title, String xLabel, List<String> labels, double[] values) {
        int n = values.length;
        int left = 330, right = 70, top = 28, rowH = 14, plotW = 360;
        int width = left + plotW + right;
        int height = top + n * rowH + 30;
        double max = 0;
        for (double v : values) if (Double.isFinite(v)) max = Math.max(max, v);
        if (max <= 0) max = 1;
        StringBuilder s = header(cssClass, kind, title, width, height);
        for (int i = 0; i < n; i++) {
            double v = Double.isFinite(values[i]) ? Math.max(0, values[i]) : 0;
            int y = top + i * rowH;
            double w = plotW * v / max;
            s.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                    left - 6, y + rowH - 3, esc(labels.get(i))));
            s.append(String.format(Locale.ROOT,
                    "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\"><title>%s: %s</title></rect>",
                    left, y + 1, w, rowH - 2, esc(labels.get(i)), num(values[i])));
            s.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\">%s</text>",
                    left + w + 4, y + rowH - 3, num(values[i])));
        }
        s.append(String.format(Locale.ROOT, "<text class=\"axis-label\" x=\"%d\" y=\"%d\">%s</text>",
                left, top + n * rowH + 20, esc(xLabel)));
        return s.append("</svg>").toString();
    }

    private static StringBuilder header(String cssClass, String kind, String title, int width, int height) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot %s\" data-kind=\"%s\" "
                        + "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">",
                esc(cssClass), esc(kind), width, height, width, height));
        s.append("<title>").append(esc(title)).append("</title>");
        s.append("<text class=\"plot-title\" x=\"4\" y=\"16\">").append(esc(title)).append("</text>");
        return s;
    }

    private static void axis(StringBuilder s, int left, int top, int plotH, double max, String yLabel) {
        s.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                left, top, left, top + plotH));
        for (int k = 0; k <= 2; k++) {
            double v = max * k / 2;
            double y = top + plotH - plotH * k / 2.0;
            s.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    left - 4, y + 4, num(v)));
        }
        s.append(String.format(Locale.ROOT, "<text class=\"axis-label\" x=\"4\" y=\"%d\">%s</text>",
                top + plotH + 30, esc(yLabel)));
    }
}
