package org.nowag.io.imatrix;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Activation statistics read from a llama.cpp importance matrix, per HF linear weight: the mean over calibration
 * tokens of x_j^2 for each input j, i.e. diag(X^T X) / T. Every layer shares the same T, so this is diag(X^T X)
 * up to one global scale, which is all the pruning scores need.
 */
public final class ImportanceMatrix {
    private final Map<String, float[]> diagonals;
    private final List<String> skipped;
    private final List<String> datasets;

    ImportanceMatrix(Map<String, float[]> diagonals, List<String> skipped, List<String> datasets) {
        this.diagonals = Collections.unmodifiableMap(diagonals);
        this.skipped = Collections.unmodifiableList(skipped);
        this.datasets = Collections.unmodifiableList(datasets);
    }

    /** HF weight name -> mean x^2 per input column, in name order. */
    public Map<String, float[]> diagonals() { return diagonals; }

    /** Entries of the file that have no HF name here (with why), e.g. fused QKV or experts without data. */
    public List<String> skipped() { return skipped; }

    /** The calibration text files llama.cpp recorded, when it did. */
    public List<String> datasets() { return datasets; }
}
