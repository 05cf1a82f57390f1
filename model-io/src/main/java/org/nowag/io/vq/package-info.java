/**
 * The on-disk tensors of a NoWag-VQ weight (packed codes, codebook, norms): names, shapes, bit packing. Format
 * only: must not depend on the kernels or the job.
 */
package org.nowag.io.vq;
