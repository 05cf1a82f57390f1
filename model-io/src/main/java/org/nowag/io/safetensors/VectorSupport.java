package org.nowag.io.safetensors;

/**
 * Whether FloatCodec uses {@link VectorCodec}. Kept apart from VectorCodec on purpose: reading a static field of
 * VectorCodec would initialise it, and its Vector API species fail to load when the JVM lacks jdk.incubator.vector
 * (a plain java -jar). model-io has its own check, as it knows nothing of the kernels' Simd.
 */
final class VectorSupport {
    /** True when jdk.incubator.vector is in the boot layer and -Dnowag.simd=false was not given. */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("nowag.simd"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorSupport() {}
}
