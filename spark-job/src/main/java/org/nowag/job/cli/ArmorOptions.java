package org.nowag.job.cli;

import java.util.Locale;
import org.nowag.job.api.BadOptionException;
import org.nowag.kernels.armor.ArmorConfig;

/** Turns --armor-block / --armor-iters / --armor-store into an ArmorConfig; ARMOR's pattern is 2:4 and nothing else. */
final class ArmorOptions {
    private ArmorOptions() {}

    static ArmorConfig config(Double sparsity, String pattern, String group, int block, int iterations, String store) {
        if (sparsity != null || group != null || (pattern != null && !pattern.trim().equals("2:4"))) {
            throw new BadOptionException("armor is 2:4 only: drop --sparsity and --group (--pattern may only be 2:4); "
                    + "it takes --armor-block, --armor-iters, --armor-store");
        }
        String s = store.trim().toLowerCase(Locale.ROOT);
        if (!s.equals("f16") && !s.equals("f32")) {
            throw new BadOptionException("unknown --armor-store '" + store + "'; choose f16 or f32");
        }
        OptionValues.atLeast("--armor-iters", iterations, 0);
        return OptionValues.convert("--armor-block " + block, () -> ArmorConfig.of(block, iterations, s.equals("f16")));
    }
}
