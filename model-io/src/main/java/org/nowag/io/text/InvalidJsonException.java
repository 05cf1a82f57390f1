package org.nowag.io.text;

import java.io.IOException;

/** A JSON file that is not strictly valid; the message names the file and the problem. */
public class InvalidJsonException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String problem;

    public InvalidJsonException(String file, String problem) {
        super(file + ": " + problem);
        this.problem = problem;
    }

    /** The problem without the file name, for callers that report it in their own words. */
    public String problem() { return problem; }
}
