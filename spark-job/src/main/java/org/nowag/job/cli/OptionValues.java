package org.nowag.job.cli;

import java.util.function.Supplier;
import org.nowag.job.api.BadOptionException;

/** Checks of option values that need no input: each failure names the option and its value (exit 2). */
public final class OptionValues {
    private OptionValues() {}

    /** A finite, positive number (sizes in MiB or MB). */
    public static double positive(String option, double value, String what) {
        if (!(value > 0) || Double.isInfinite(value)) throw BadOptionException.of(option, value, "must be a positive number (" + what + ")");
        return value;
    }

    public static int atLeast(String option, int value, int min) {
        if (value < min) throw BadOptionException.of(option, value, "must be at least " + min);
        return value;
    }

    /**
     * Runs a conversion whose IllegalArgumentException is a statement about these options (a pattern that does not
     * parse, a VQ configuration that cannot be built); its message gets the options' names in front.
     */
    public static <T> T convert(String options, Supplier<T> conversion) {
        try {
            return conversion.get();
        } catch (BadOptionException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new BadOptionException(m != null && m.contains("--") ? m : options + ": " + m);
        }
    }
}
