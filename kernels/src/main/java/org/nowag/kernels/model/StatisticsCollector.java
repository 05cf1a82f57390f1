package org.nowag.kernels.model;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An observer that keeps one {@link GramAccumulator} per linear weight name: pass it to a forward pass (or to each
 * layer while streaming) and read {@link #accumulators()} afterwards. Weights fed the same input array in a row
 * (q/k/v, gate/up) share one X^T X computation. Mergeable, so each Spark task collects its windows and the
 * driver (or a reduce) merges the collectors.
 */
public final class StatisticsCollector implements LinearInputObserver, Serializable {
    private static final long serialVersionUID = 1L;

    private boolean withFull;
    private LinkedHashMap<String, GramAccumulator> accumulators = new LinkedHashMap<>();
    private transient float[] lastRows;
    private transient GramAccumulator.Contribution lastContribution;

    /** For serializers only. */
    private StatisticsCollector() { }

    /** withFull: also keep the whole X^T X per weight (d_in^2 doubles each). */
    public StatisticsCollector(boolean withFull) {
        this.withFull = withFull;
    }

    @Override
    public void onLinearInput(String weightName, float[] rows, int tokens, int inFeatures) {
        // The forward pass hands q, k and v (gate and up) the same array: compute its X^T X once.
        if (rows != lastRows || lastContribution == null || lastContribution.tokens != tokens
                || lastContribution.inFeatures != inFeatures) {
            lastContribution = GramAccumulator.Contribution.of(rows, tokens, inFeatures, withFull);
            lastRows = rows;
        }
        accumulators.computeIfAbsent(weightName, n -> new GramAccumulator(inFeatures, withFull)).add(lastContribution);
    }

    /** Adds another collector's sums (weights it saw that this one did not are copied in). */
    public StatisticsCollector merge(StatisticsCollector other) {
        if (other.withFull != withFull) throw new IllegalArgumentException("cannot merge collectors with and without full X^T X");
        for (Map.Entry<String, GramAccumulator> e : other.accumulators.entrySet()) {
            GramAccumulator mine = accumulators.get(e.getKey());
            if (mine == null) {
                mine = new GramAccumulator(e.getValue().inFeatures(), withFull);
                accumulators.put(e.getKey(), mine);
            }
            mine.merge(e.getValue());
        }
        return this;
    }

    /** Weight name to its accumulator, in the order the forward pass first reported them. */
    public Map<String, GramAccumulator> accumulators() {
        return Collections.unmodifiableMap(accumulators);
    }

    public GramAccumulator get(String weightName) {
        return accumulators.get(weightName);
    }

    public boolean withFull() { return withFull; }
}
