package org.nowag.job.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.nowag.kernels.prune.PruneMethod;

/** The methods `compress` offers, by their CLI names. COPY runs the whole pipeline without a kernel: the I/O floor. */
public enum CompressionMethod {
    NOWAG_P("nowag-p", PruneMethod.NOWAG_P),
    WANDA("wanda", PruneMethod.WANDA),
    MAGNITUDE("magnitude", PruneMethod.MAGNITUDE),
    /** Vector quantization (VqCompressor); no pruning pattern. */
    NOWAG_VQ("nowag-vq", null),
    /** SparseGPT (kernels.sparsegpt): one whole matrix per task, reads its layer's full X^T X on the executor. */
    SPARSEGPT("sparsegpt", null),
    /** ARMOR 2:4 with block-diagonal wrappers (ArmorCompressor); the pattern is always 2:4. */
    ARMOR("armor", null),
    COPY("copy", null);

    private final String cliName;
    private final PruneMethod pruneMethod;

    CompressionMethod(String cliName, PruneMethod pruneMethod) {
        this.cliName = cliName;
        this.pruneMethod = pruneMethod;
    }

    public String cliName() { return cliName; }

    /** null for COPY, NOWAG_VQ and SPARSEGPT. */
    public PruneMethod pruneMethod() { return pruneMethod; }

    public static CompressionMethod parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (CompressionMethod m : values()) {
            if (m.cliName.equals(t)) return m;
        }
        throw new BadOptionException("unknown method '" + text + "'; choose one of "
                + Arrays.stream(values()).map(CompressionMethod::cliName).collect(Collectors.joining(", ")));
    }

    @Override public String toString() { return cliName; }
}
