package org.nowag.tools.measure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The repeated timings of one benchmark row: its median (what the ratios use, robust to one slow repetition on a
 * shared machine), its range, and the largest heap figures seen over the repetitions.
 */
public final class Samples {
    private final List<Double> seconds = new ArrayList<>();
    private final List<Double> cpuSeconds = new ArrayList<>();
    private long peakHeap;
    private long liveHeap;
    private double extra = Double.NaN;
    private final List<Double> extras = new ArrayList<>();

    /** One repetition: its seconds, the JVM's CPU seconds over it (NaN: unknown) and its heap watch (closed). */
    public void add(double s, double cpu, HeapWatch heap) {
        seconds.add(s);
        if (!Double.isNaN(cpu)) cpuSeconds.add(cpu);
        peakHeap = Math.max(peakHeap, heap.peakBytes());
        liveHeap = Math.max(liveHeap, heap.liveAfterGcBytes());
    }

    /** A second figure of the same repetition (the plain loop's kernel thread-seconds), reported as its median. */
    public void addExtra(double v) {
        extras.add(v);
        extra = median(extras);
    }

    public int count() { return seconds.size(); }
    public double median() { return median(seconds); }
    public double min() { return Collections.min(seconds); }
    public double max() { return Collections.max(seconds); }
    public double extraMedian() { return extra; }
    /** Median CPU seconds of the whole JVM over a repetition (all threads); NaN when the JVM does not tell. */
    public double cpuMedian() { return cpuSeconds.isEmpty() ? Double.NaN : median(cpuSeconds); }
    public long peakHeapBytes() { return peakHeap; }
    public long liveHeapBytes() { return liveHeap; }

    /** The middle value; for an even count the mean of the two middle ones. */
    static double median(List<Double> values) {
        if (values.isEmpty()) throw new IllegalStateException("no samples");
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
