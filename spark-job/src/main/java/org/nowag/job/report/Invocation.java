package org.nowag.job.report;

import java.util.ArrayList;
import java.util.List;
import org.nowag.io.card.RedactedCommandLine;

/**
 * The command line of the CLI run in progress, secrets redacted, for report.json, the provenance file and the model
 * card. The CLI sets it for the length of one command; a run through the API (a notebook's Nowag.compress) has
 * none. One command runs at a time in a JVM (the CLI's), so a plain static is enough.
 */
public final class Invocation {
    private static volatile List<String> commandLine;

    private Invocation() {}

    /** Records "nowag ARGS..." redacted. */
    public static void begin(String[] args) {
        List<String> all = new ArrayList<>();
        all.add("nowag");
        all.addAll(List.of(args));
        commandLine = List.copyOf(RedactedCommandLine.redact(all));
    }

    public static void end() {
        commandLine = null;
    }

    /** The redacted command line, or null outside a CLI command. */
    public static List<String> commandLine() {
        return commandLine;
    }
}
