package org.nowag.job.cli;

import org.nowag.job.api.BadOptionException;
import org.nowag.kernels.quant.RtnConfig;

/** Turns --rtn-bits / --rtn-group into an RtnConfig, refusing nonsense early. */
final class RtnOptions {
    private RtnOptions() {}

    static RtnConfig config(int bits, int group) {
        if (bits < RtnConfig.MIN_BITS || bits > RtnConfig.MAX_BITS) {
            throw BadOptionException.of("--rtn-bits", bits, "must be between " + RtnConfig.MIN_BITS + " and " + RtnConfig.MAX_BITS);
        }
        OptionValues.atLeast("--rtn-group", group, 1);
        return RtnConfig.of(bits, group);
    }
}
