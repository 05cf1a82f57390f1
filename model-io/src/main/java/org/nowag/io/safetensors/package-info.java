/**
 * The safetensors format: strict header parsing, row-range reads, streamed writes, and dtype conversion to and from
 * float32. No kernels, no Spark, no model semantics.
 */
package org.nowag.io.safetensors;
