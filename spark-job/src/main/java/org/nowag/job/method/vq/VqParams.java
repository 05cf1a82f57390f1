package org.nowag.job.method.vq;

import org.nowag.job.method.MethodParams;
import org.nowag.kernels.vq.VqConfig;

/** NoWag-VQ's parameters for one tensor: the kernel's configuration, and whether to run k-means over row blocks. */
public final class VqParams implements MethodParams {
    private static final long serialVersionUID = 1L;
    public final VqConfig config;
    /** Run the k-means over row blocks on executors even for a matrix that fits --block-mb (same output). */
    public final boolean rowBlocks;

    public VqParams(VqConfig config, boolean rowBlocks) {
        this.config = config;
        this.rowBlocks = rowBlocks;
    }

    @Override public String describe() { return config.toString(); }

    /** Row blocks or not, the output is the same: only the configuration identifies it. */
    @Override public String identity() { return VqPlugin.FORMAT + " " + config; }
}
