package org.nowag.tools.measure;

import java.util.Locale;
import org.nowag.job.api.BadOptionException;

/** --shapes entries of the benchmarks: ROWSxCOLS with positive integers, e.g. 4096x4096. */
final class Shapes {
    private Shapes() {}

    static int[] parse(String s) {
        String[] p = s.trim().toLowerCase(Locale.ROOT).split("x");
        try {
            if (p.length == 2) {
                int rows = Integer.parseInt(p[0]);
                int cols = Integer.parseInt(p[1]);
                if (rows > 0 && cols > 0) return new int[] {rows, cols};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadOptionException("--shapes '" + s + "': a shape must be ROWSxCOLS with positive integers, like 4096x4096");
    }
}
