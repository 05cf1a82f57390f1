package org.nowag.job.method.sparsegpt;

import org.nowag.job.method.MethodParams;
import org.nowag.kernels.prune.SparsityPattern;

/** SparseGPT's parameters: the sparsity pattern, and the full X^T X file its tasks read their layer from. */
public final class SparseGptParams implements MethodParams {
    private static final long serialVersionUID = 1L;
    public final SparsityPattern pattern;
    /** Fully qualified path of the NAME.xtx.safetensors beside --calibration. */
    public final String fullGram;

    public SparseGptParams(SparsityPattern pattern, String fullGram) {
        this.pattern = pattern;
        this.fullGram = fullGram;
    }

    @Override public String describe() { return pattern.toString(); }

    /** The file's identity (its header and length) enters the fingerprint through checkInputs, not its path. */
    @Override public String identity() { return pattern.toString(); }
}
