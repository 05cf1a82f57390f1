package org.nowag.kernels.simd;

/**
 * Whether the hot loops take their Vector API path ({@link VectorLoops}). The API is the incubator module
 * jdk.incubator.vector in Java 17: present only when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the tests, {@code deploy/} and the launch lines in the README add it;
 * a plain {@code java -jar} cannot, since a manifest cannot add modules). Without it every kernel runs its scalar
 * loop, with bit-identical results, so the choice changes speed only. {@code -Dnowag.simd=false} forces the scalar
 * loops (for comparisons). VectorLoops is only referenced behind this flag, so without the module it is never loaded.
 */
public final class Simd {
    /** True when jdk.incubator.vector is in the boot layer and -Dnowag.simd=false was not given. */
    public static final boolean ENABLED = detect();

    private Simd() {}

    static boolean detect() {
        if ("false".equalsIgnoreCase(System.getProperty("nowag.simd"))) {
            return false;
        }
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** "vector (N-bit)" or "scalar", for logs and benchmark headers. */
    public static String describe() {
        return ENABLED ? "vector (" + VectorLoops.bits() + "-bit)" : "scalar";
    }
}
