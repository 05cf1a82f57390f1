package org.nowag.job.cli;

import java.util.Locale;
import org.nowag.job.api.BadOptionException;
import org.nowag.kernels.vq.VqConfig;

/** Turns --vq-dim / --vq-bits / --vq-iters / --seed / --vq-store into a VqConfig, refusing nonsense early. */
final class VqOptions {
    private VqOptions() {}

    static VqConfig config(int dim, int bits, int iterations, long seed, String store) {
        OptionValues.atLeast("--vq-dim", dim, 1);
        OptionValues.atLeast("--vq-bits", bits, 1);
        OptionValues.atLeast("--vq-iters", iterations, 1);
        VqConfig byBits = OptionValues.convert("--vq-dim " + dim + " --vq-bits " + bits,
                () -> VqConfig.ofBits(dim, bits, iterations, seed));
        String s = store.trim().toLowerCase(Locale.ROOT);
        if (!s.equals("f16") && !s.equals("f32")) {
            throw new BadOptionException("unknown --vq-store '" + store + "'; choose f16 or f32");
        }
        return new VqConfig(byBits.dim, byBits.codebookSize, byBits.maxIterations, seed, s.equals("f16"));
    }
}
