package org.nowag.job.method.armor;

import org.nowag.job.method.MethodParams;
import org.nowag.kernels.armor.ArmorConfig;

/** ARMOR's parameters for one tensor (its pattern is always 2:4). */
public final class ArmorParams implements MethodParams {
    private static final long serialVersionUID = 1L;
    public final ArmorConfig config;

    public ArmorParams(ArmorConfig config) {
        this.config = config;
    }

    @Override public String describe() { return "2:4"; }

    @Override public String identity() { return ArmorPlugin.FORMAT + " " + config; }
}
