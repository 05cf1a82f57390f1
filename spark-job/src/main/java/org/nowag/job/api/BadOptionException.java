package org.nowag.job.api;

/**
 * An option value that cannot be right whatever the inputs are (a zero block size, a regular expression that does
 * not compile, an unknown method): the command line is wrong, so the CLI exits with 2 (bad usage), as for a
 * misspelled option. The message names the option and its value.
 */
public class BadOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public BadOptionException(String message) {
        super(message);
    }

    /** "OPTION VALUE: problem", e.g. "--block-mb 0: must be positive (MiB of float32 per row block)". */
    public static BadOptionException of(String option, Object value, String problem) {
        Object shown = value;
        if (value instanceof Double && (Double) value == Math.rint((Double) value) && Math.abs((Double) value) < 1e15) {
            shown = (long) (double) (Double) value;  // "--block-mb 0", not "0.0"
        }
        return new BadOptionException(option + " " + shown + ": " + problem);
    }
}
