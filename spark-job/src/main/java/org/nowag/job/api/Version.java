package org.nowag.job.api;

/** The tool's version, recorded in every report and config. */
public final class Version {
    public static final String VERSION = "0.1.0";

    private Version() {}
}
