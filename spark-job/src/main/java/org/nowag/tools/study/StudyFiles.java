package org.nowag.tools.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nowag.job.eval.PairedBootstrap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** study.json (everything), study.md (the table with its context) and study.csv (one line per row). */
final class StudyFiles {
    static final String JSON = "study.json";
    static final String MARKDOWN = "study.md";
    static final String CSV = "study.csv";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StudyFiles() {}

    static void write(FileSystem fs, Path out, Study.Outcome o) throws IOException {
        put(fs, new Path(out, JSON), MAPPER.writeValueAsString(o));
        put(fs, new Path(out, MARKDOWN), markdown(o));
        put(fs, new Path(out, CSV), csv(o));
    }

    static String markdown(Study.Outcome o) {
        List<String> sets = sets(o);
        StringBuilder b = new StringBuilder();
        b.append("# Quality study of ").append(o.model).append("\n\n");
        b.append("Date ").append(o.date).append(", machine ").append(o.machine).append(".\n\n");
        b.append("Command: `").append(o.command).append("`\n\n");
        b.append("Calibration: ").append(o.calibration).append(". Evaluation: ").append(o.evaluation).append(".\n\n");
        b.append("Intervals: ").append(StudyIntervals.description()).append("; the reference is NoWag-P at the same ")
                .append("budget for pruning rows, NoWag-VQ at the same bits for quantization rows; ")
                .append("an interval that leaves out 0 is a resolved difference.\n\n");
        b.append("| row | method | setting | bits/weight | proxy loss | data-aware loss |");
        for (String s : sets) b.append(" ppl ").append(s).append(" |");
        b.append(" vs |");
        for (String s : sets) b.append(" Δppl ").append(s).append(" [95%] |");
        b.append(" compress s | how |\n|");
        for (int i = 0; i < 6 + 2 * sets.size() + 3; i++) b.append(" --- |");
        b.append('\n');
        for (StudyResult r : o.rows) {
            b.append("| ").append(r.id).append(" | ").append(r.method).append(" | ").append(r.setting).append(" | ")
                    .append(num(r.bitsPerWeight, "%.3f")).append(" | ").append(num(r.proxyLoss, "%.4f")).append(" | ")
                    .append(num(r.dataAwareLoss, "%.4f")).append(" |");
            for (String s : sets) b.append(' ').append(num(r.perplexity.get(s), "%.2f")).append(" |");
            b.append(' ').append(r.reference == null ? "" : r.reference).append(" |");
            for (String s : sets) b.append(' ').append(interval(r.versusReference, s)).append(" |");
            b.append(' ').append(num(r.compressSeconds, "%.1f")).append(" | ")
                    .append(r.error != null ? "FAILED: " + r.error.replace('|', '/') : r.path).append(" |\n");
        }
        return b.toString();
    }

    static String csv(Study.Outcome o) {
        List<String> sets = sets(o);
        StringBuilder b = new StringBuilder("row,method,setting,bits_per_weight,proxy_loss,data_aware_loss");
        for (String s : sets) b.append(",ppl_").append(s);
        b.append(",reference");
        for (String vs : new String[] {"ref", "dense"}) {
            for (String s : sets) b.append(",dppl_").append(vs).append('_').append(s).append(",dppl_").append(vs).append('_')
                    .append(s).append("_low,dppl_").append(vs).append('_').append(s).append("_high");
        }
        b.append(",compress_seconds,evaluate_seconds,tensors_compressed,error\n");
        for (StudyResult r : o.rows) {
            b.append(r.id).append(',').append(r.method).append(',').append(quote(r.setting)).append(',')
                    .append(num(r.bitsPerWeight, "%.6f")).append(',').append(num(r.proxyLoss, "%.6f")).append(',')
                    .append(num(r.dataAwareLoss, "%.6f"));
            for (String s : sets) b.append(',').append(num(r.perplexity.get(s), "%.4f"));
            b.append(',').append(r.reference == null ? "" : r.reference);
            for (Map<String, PairedBootstrap.Interval> vs : java.util.Arrays.asList(r.versusReference, r.versusDense)) {
                for (String s : sets) {
                    PairedBootstrap.Interval i = vs == null ? null : vs.get(s);
                    b.append(',').append(i == null ? "" : fmt(i.estimate, "%.4f")).append(',').append(i == null ? "" : fmt(i.low, "%.4f"))
                            .append(',').append(i == null ? "" : fmt(i.high, "%.4f"));
                }
            }
            b.append(',').append(num(r.compressSeconds, "%.2f")).append(',').append(num(r.evaluateSeconds, "%.2f"))
                    .append(',').append(r.tensorsCompressed == null ? "" : r.tensorsCompressed.toString())
                    .append(',').append(r.error == null ? "" : quote(r.error)).append('\n');
        }
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<String> sets(Study.Outcome o) {
        Object s = o.evaluation.get("sets");
        return s == null ? List.of() : new ArrayList<>((List<String>) s);
    }

    /** "+1.23 [+0.80, +1.70]"; empty when there is no interval. */
    static String interval(Map<String, PairedBootstrap.Interval> byset, String set) {
        PairedBootstrap.Interval i = byset == null ? null : byset.get(set);
        if (i == null) return "";
        return fmt(i.estimate, "%+.2f") + " [" + fmt(i.low, "%+.2f") + ", " + fmt(i.high, "%+.2f") + "]";
    }

    private static String fmt(double v, String format) {
        return String.format(Locale.ROOT, format, v);
    }

    private static String num(Double v, String format) {
        return v == null ? "" : String.format(Locale.ROOT, format, v);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"").replace('\n', ' ') + "\"";
    }

    private static void put(FileSystem fs, Path p, String text) throws IOException {
        try (OutputStream o = fs.create(p, true)) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
