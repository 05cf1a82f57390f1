/**
 * The few Vector API loops the other kernels call, with a scalar fallback. Depends on nothing but the JDK's
 * incubator vector module.
 */
package org.nowag.kernels.simd;
