package org.nowag.job.progress;

import java.io.PrintStream;

/** One live line on a terminal: each update returns to the line's start with '\r' and overwrites it. */
public final class TerminalLine implements ProgressSink {
    private final PrintStream out;
    private int previousLength;

    public TerminalLine(PrintStream out) {
        this.out = out;
    }

    @Override public synchronized void update(String line) {
        out.print(overwrite(line));
        out.flush();
    }

    @Override public synchronized void finish(String line) {
        out.print(overwrite(line) + System.lineSeparator());
        out.flush();
        previousLength = 0;
    }

    /** '\r', the line, and spaces over what is left of a longer previous line. */
    String overwrite(String line) {
        String padded = "\r" + line + " ".repeat(Math.max(0, previousLength - line.length()));
        previousLength = line.length();
        return padded;
    }
}
