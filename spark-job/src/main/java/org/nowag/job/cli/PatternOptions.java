package org.nowag.job.cli;

import java.util.Locale;
import org.nowag.job.api.BadOptionException;
import org.nowag.job.api.CompressionMethod;
import org.nowag.kernels.prune.SparsityPattern;

/** Turns --sparsity / --pattern / --group into one SparsityPattern, refusing contradictions. */
final class PatternOptions {
    private PatternOptions() {}

    static SparsityPattern pattern(CompressionMethod method, Double sparsity, String pattern, String group) {
        if (pattern != null && sparsity != null) {
            throw new BadOptionException("give either --sparsity (unstructured) or --pattern N:M, not both");
        }
        if (method == CompressionMethod.SPARSEGPT && group != null) {
            throw new BadOptionException("--group does not apply to sparsegpt: it chooses its mask per block of "
                    + "128 columns over all rows, as the SparseGPT reference does");
        }
        if (pattern != null) {
            if (group != null) throw new BadOptionException("--group applies to --sparsity, not to an N:M --pattern");
            return OptionValues.convert("--pattern " + pattern, () -> SparsityPattern.parse(pattern));
        }
        if (sparsity == null && group == null) return method.plugin().defaultPattern();
        SparsityPattern.Group g;
        if (group == null) {
            g = method.plugin().defaultPattern().group();
        } else {
            try {
                g = SparsityPattern.Group.valueOf(group.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new BadOptionException("unknown --group '" + group + "'; choose row or matrix");
            }
        }
        double p = sparsity == null ? 0.5 : sparsity;
        return OptionValues.convert("--sparsity " + p, () -> SparsityPattern.unstructured(p, g));
    }
}
