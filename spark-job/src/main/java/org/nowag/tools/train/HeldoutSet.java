package org.nowag.tools.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A held-out text set named on the command line as NAME=PATH (or just PATH: the name is the file or glob name). */
public record HeldoutSet(String name, List<Path> files) {
    public static HeldoutSet parse(String arg) throws IOException {
        int eq = arg.indexOf('=');
        String name = eq > 0 ? arg.substring(0, eq) : Path.of(arg).getFileName().toString();
        String path = eq > 0 ? arg.substring(eq + 1) : arg;
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("--heldout " + arg + ": name \"" + name + "\" may only hold letters, digits, '.', '_' and '-'");
        }
        return new HeldoutSet(name, TextFiles.resolve(path));
    }
}
