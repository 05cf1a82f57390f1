package org.nowag.job.cli;

import java.net.URL;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * Switches log4j between log4j2.properties (Spark's and Hadoop's error lines without stack traces: the CLI prints
 * the error itself, in one line) and log4j2-verbose.properties (with them) for `--verbose`. Leaves logging alone when
 * log4j-core is not the binding (a cluster's own logging) and when nothing needs switching, so a configuration made
 * by the caller (a test's capturing appender) survives a non-verbose run.
 */
final class Logging {
    private static boolean verboseConfigured;

    private Logging() {}

    static synchronized void configure(boolean verbose) {
        if (verbose == verboseConfigured) return;
        URL config = Logging.class.getResource(verbose ? "/log4j2-verbose.properties" : "/log4j2.properties");
        if (config == null) return;
        try {
            if (LogManager.getContext(false) instanceof LoggerContext) {
                ((LoggerContext) LogManager.getContext(false)).setConfigLocation(config.toURI());
                verboseConfigured = verbose;
            }
        } catch (java.net.URISyntaxException | LinkageError e) {
            // Logging stays as it is; the error line itself does not depend on it.
        }
    }
}
