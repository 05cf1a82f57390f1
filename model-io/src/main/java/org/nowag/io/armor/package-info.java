/**
 * The on-disk tensors of an ARMOR weight (A and B blocks, 2:4 values and positions, norms): names, shapes and
 * bytes. Format only: must not depend on the kernels or the job.
 */
package org.nowag.io.armor;
