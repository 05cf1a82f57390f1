package org.nowag.kernels.model;

/** Hands a linear layer's input to the observer, without the padding rows (they are no calibration data). */
final class Observed {
    private Observed() {}

    /** Reports x [tokens x width] once per weight name, the same array for all of them. */
    static void report(LinearInputObserver observer, float[] x, int width, HiddenStates layout, String... weightNames) {
        if (observer == LinearInputObserver.NONE) return;
        float[] rows = x;
        int tokens = layout.tokens();
        if (layout.hasPadding()) {
            int real = 0;
            for (int r = 0; r < tokens; r++) if (!layout.isPadding(r)) real++;
            rows = new float[real * width];
            int at = 0;
            for (int r = 0; r < tokens; r++) {
                if (!layout.isPadding(r)) {
                    System.arraycopy(x, r * width, rows, at * width, width);
                    at++;
                }
            }
            tokens = real;
        }
        if (tokens == 0) return;
        for (String name : weightNames) observer.onLinearInput(name, rows, tokens, width);
    }
}
