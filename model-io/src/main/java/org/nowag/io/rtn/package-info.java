/**
 * The on-disk tensors of a round-to-nearest weight (packed codes, per-group scales and zero points): names, shapes
 * and bytes. Format only: must not depend on the kernels or the job.
 */
package org.nowag.io.rtn;
