package org.nowag.tools.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The loss curve as CSV, one row per step: step, tokens seen, learning rate, training loss, gradient norm, seconds,
 * then one column per held-out set (empty except on evaluation steps). Rows are appended as training goes; a resumed
 * run first drops the rows after its checkpoint.
 */
public final class LossLog {
    public record Row(int step, long tokens, double lr, double trainLoss, double gradNorm, double seconds, double[] heldout) {}

    private final Path file;
    private final List<String> heldoutNames;
    private final List<Row> rows = new ArrayList<>();

    public LossLog(Path file, List<String> heldoutNames) {
        this.file = file;
        this.heldoutNames = List.copyOf(heldoutNames);
    }

    public List<Row> rows() { return rows; }
    public List<String> heldoutNames() { return heldoutNames; }

    public String header() {
        StringBuilder b = new StringBuilder("step,tokens,lr,train_loss,grad_norm,seconds");
        for (String n : heldoutNames) b.append(",heldout_").append(n);
        return b.toString();
    }

    /** Starts the file afresh, or keeps the rows up to lastStep of an existing one (resume). */
    public void open(int lastStep) throws IOException {
        rows.clear();
        if (lastStep > 0 && Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines.subList(1, lines.size())) {
                Row r = parse(line);
                if (r.step() <= lastStep) rows.add(r);
            }
        }
        StringBuilder b = new StringBuilder(header()).append('\n');
        for (Row r : rows) b.append(format(r)).append('\n');
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    public void append(Row r) throws IOException {
        rows.add(r);
        Files.writeString(file, format(r) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private String format(Row r) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%d,%d,%.6e,%.6f,%.6f,%.1f",
                r.step(), r.tokens(), r.lr(), r.trainLoss(), r.gradNorm(), r.seconds()));
        for (double h : r.heldout()) b.append(',').append(Double.isNaN(h) ? "" : String.format(Locale.ROOT, "%.6f", h));
        return b.toString();
    }

    private Row parse(String line) {
        String[] f = line.split(",", -1);
        double[] h = new double[heldoutNames.size()];
        for (int i = 0; i < h.length; i++) {
            String s = 6 + i < f.length ? f[6 + i] : "";
            h[i] = s.isEmpty() ? Double.NaN : Double.parseDouble(s);
        }
        return new Row(Integer.parseInt(f[0]), Long.parseLong(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                Double.parseDouble(f[4]), Double.parseDouble(f[5]), h);
    }
}
