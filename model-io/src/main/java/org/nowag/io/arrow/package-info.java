/**
 * Tensors as Arrow IPC files (one record batch per tensor), written whole or one tensor at a time. Format only: no
 * kernels, no Spark.
 */
package org.nowag.io.arrow;
