/**
 * ARMOR 2:4 with block-diagonal wrappers: W ~ diag(r) A S B diag(c), fitted by alternating A, B and 2:4-core steps,
 * and its decoder. Pure computation: no Spark, no files, no other kernel package but prune, norm, loss and simd.
 */
package org.nowag.kernels.armor;
