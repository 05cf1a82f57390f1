package org.nowag.tools.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The loss curve as a self-contained SVG: training loss per step (thin, light) and its running mean over 10 steps
 * (thick), held-out losses as marked lines, loss against tokens seen.
 */
public final class LossCurveSvg {
    private static final String[] COLORS = {"#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};
    private static final int MEAN_OF = 10;
    private static final int W = 800;
    private static final int H = 480;
    private static final int L = 70;
    private static final int R = 20;
    private static final int T = 40;
    private static final int B = 60;

    private LossCurveSvg() {}

    public static String render(LossLog log, String title) {
        List<LossLog.Row> rows = log.rows();
        if (rows.isEmpty()) throw new IllegalArgumentException("no loss rows to draw");
        double maxX = rows.get(rows.size() - 1).tokens();
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (LossLog.Row r : rows) {
            minY = Math.min(minY, r.trainLoss());
            maxY = Math.max(maxY, r.trainLoss());
            for (double h : r.heldout()) {
                if (!Double.isNaN(h)) {
                    minY = Math.min(minY, h);
                    maxY = Math.max(maxY, h);
                }
            }
        }
        minY = Math.floor(minY);
        maxY = Math.ceil(maxY);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", W, H, W, H));
        s.append(String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\">%s</text>%n", L, escape(title)));
        // Axes, grid and ticks.
        for (int i = 0; i <= 5; i++) {
            double yv = minY + (maxY - minY) * i / 5;
            double y = y(yv, minY, maxY);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", L, y, W - R, y));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>%n", L - 6, y + 4, yv));
            double xv = maxX * i / 5;
            double x = x(xv, maxX);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, T, x, H - B));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, H - B + 18, tokens(xv)));
        }
        s.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"black\"/>%n", L, T, W - L - R, H - T - B));
        s.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">tokens seen</text>%n", (L + W - R) / 2, H - 18));
        s.append(String.format("<text x=\"18\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 18 %d)\">cross-entropy (nats/token)</text>%n",
                (T + H - B) / 2, (T + H - B) / 2));
        // Training loss, raw and running mean.
        List<double[]> raw = new ArrayList<>();
        List<double[]> mean = new ArrayList<>();
        double sum = 0;
        for (int i = 0; i < rows.size(); i++) {
            LossLog.Row r = rows.get(i);
            raw.add(new double[] {r.tokens(), r.trainLoss()});
            sum += r.trainLoss();
            if (i >= MEAN_OF) sum -= rows.get(i - MEAN_OF).trainLoss();
            mean.add(new double[] {r.tokens(), sum / Math.min(i + 1, MEAN_OF)});
        }
        s.append(polyline(raw, maxX, minY, maxY, "#9ecae1", 1));
        s.append(polyline(mean, maxX, minY, maxY, "#1f77b4", 2.5));
        int legendY = T + 18;
        s.append(legend(legendY, "#1f77b4", "training loss (mean of the last " + MEAN_OF + " steps)", maxX));
        for (int k = 0; k < log.heldoutNames().size(); k++) {
            List<double[]> pts = new ArrayList<>();
            for (LossLog.Row r : rows) if (!Double.isNaN(r.heldout()[k])) pts.add(new double[] {r.tokens(), r.heldout()[k]});
            String color = COLORS[k % COLORS.length];
            s.append(polyline(pts, maxX, minY, maxY, color, 2));
            for (double[] p : pts) {
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x(p[0], maxX), y(p[1], minY, maxY), color));
            }
            s.append(legend(legendY + 18 * (k + 1), color, "held out: " + log.heldoutNames().get(k), maxX));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static String legend(int y, String color, String text, double maxX) {
        int x = W - R - 300;
        return String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>"
                + "<text x=\"%d\" y=\"%d\">%s</text>%n", x, y - 4, x + 24, y - 4, color, x + 30, y, escape(text));
    }

    private static String polyline(List<double[]> pts, double maxX, double minY, double maxY, String color, double width) {
        if (pts.isEmpty()) return "";
        StringBuilder b = new StringBuilder("<polyline fill=\"none\" stroke=\"" + color + "\" stroke-width=\"" + width + "\" points=\"");
        for (double[] p : pts) b.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p[0], maxX), y(p[1], minY, maxY)));
        return b.append("\"/>\n").toString();
    }

    private static double x(double v, double maxX) {
        return L + (maxX <= 0 ? 0 : v / maxX) * (W - L - R);
    }

    private static double y(double v, double minY, double maxY) {
        return T + (maxY - v) / Math.max(1e-9, maxY - minY) * (H - T - B);
    }

    private static String tokens(double v) {
        if (v >= 1e6) return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        if (v >= 1e4) return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        if (v >= 1e3) return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String escape(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
