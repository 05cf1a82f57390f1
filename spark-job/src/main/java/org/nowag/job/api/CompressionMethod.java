package org.nowag.job.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.nowag.job.method.MethodPlugin;
import org.nowag.job.method.armor.ArmorPlugin;
import org.nowag.job.method.copy.CopyPlugin;
import org.nowag.job.method.prune.PruningPlugin;
import org.nowag.job.method.sparsegpt.SparseGptPlugin;
import org.nowag.job.method.vq.VqPlugin;
import org.nowag.kernels.prune.PruneMethod;

/**
 * The registry of compression methods: every method `compress` offers, by its CLI name, with the plug-in that
 * implements it ({@link MethodPlugin}). Adding a method is one plug-in package and one line here; nothing else in
 * the run knows the methods by name.
 */
public enum CompressionMethod {
    NOWAG_P(new PruningPlugin("nowag-p", PruneMethod.NOWAG_P)),
    WANDA(new PruningPlugin("wanda", PruneMethod.WANDA)),
    MAGNITUDE(new PruningPlugin("magnitude", PruneMethod.MAGNITUDE)),
    NOWAG_VQ(new VqPlugin()),
    SPARSEGPT(new SparseGptPlugin()),
    ARMOR(new ArmorPlugin()),
    RTN(new org.nowag.job.method.rtn.RtnPlugin()),
    /** The whole run without a kernel: the I/O floor of the pipeline. */
    COPY(new CopyPlugin());

    private final MethodPlugin plugin;

    CompressionMethod(MethodPlugin plugin) {
        this.plugin = plugin;
    }

    public MethodPlugin plugin() { return plugin; }

    public String cliName() { return plugin.name(); }

    public static CompressionMethod parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (CompressionMethod m : values()) {
            if (m.cliName().equals(t)) return m;
        }
        throw new BadOptionException("unknown method '" + text + "'; choose one of "
                + Arrays.stream(values()).map(CompressionMethod::cliName).collect(Collectors.joining(", ")));
    }

    @Override public String toString() { return cliName(); }
}
