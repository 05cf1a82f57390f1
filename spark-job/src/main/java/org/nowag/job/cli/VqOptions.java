package org.nowag.job.cli;

import java.util.Locale;
import org.nowag.kernels.vq.VqConfig;

/** Turns --vq-dim / --vq-bits / --vq-iters / --seed / --vq-store into a VqConfig, refusing nonsense early. */
final class VqOptions {
    private VqOptions() {}

    static VqConfig config(int dim, int bits, int iterations, long seed, String store) {
        VqConfig byBits = VqConfig.ofBits(dim, bits, iterations, seed);
        String s = store.trim().toLowerCase(Locale.ROOT);
        if (!s.equals("f16") && !s.equals("f32")) {
            throw new IllegalArgumentException("unknown --vq-store '" + store + "'; choose f16 or f32");
        }
        return new VqConfig(byBits.dim, byBits.codebookSize, byBits.maxIterations, seed, s.equals("f16"));
    }
}
