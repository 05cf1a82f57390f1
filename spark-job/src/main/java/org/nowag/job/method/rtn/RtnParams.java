package org.nowag.job.method.rtn;

import org.nowag.job.method.MethodParams;
import org.nowag.kernels.quant.RtnConfig;

/** RTN's parameters for one tensor: bits per code and the group size (the kernel's configuration). */
public final class RtnParams implements MethodParams {
    private static final long serialVersionUID = 1L;
    public final RtnConfig config;

    public RtnParams(RtnConfig config) {
        if (config == null) throw new IllegalArgumentException("rtn needs its bits and group size");
        this.config = config;
    }

    @Override public String describe() { return config.toString(); }

    @Override public String identity() { return RtnPlugin.FORMAT + " " + config; }
}
