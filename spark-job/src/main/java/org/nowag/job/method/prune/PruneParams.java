package org.nowag.job.method.prune;

import org.nowag.job.method.MethodParams;
import org.nowag.kernels.prune.PruneMethod;
import org.nowag.kernels.prune.SparsityPattern;

/** A pruning method's parameters for one tensor: the kernel's score and the sparsity pattern. */
public final class PruneParams implements MethodParams {
    private static final long serialVersionUID = 1L;
    public final PruneMethod kernel;
    public final SparsityPattern pattern;

    public PruneParams(PruneMethod kernel, SparsityPattern pattern) {
        this.kernel = kernel;
        this.pattern = pattern;
    }

    @Override public String describe() { return pattern.toString(); }

    @Override public String identity() { return kernel + " " + pattern; }
}
