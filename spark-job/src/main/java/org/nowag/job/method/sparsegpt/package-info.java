/**
 * The SparseGPT plug-in: whole-matrix tasks that read their layer's full X^T X on the executor. Depends on the
 * method contract, the SparseGPT kernel and the calibration file format.
 */
package org.nowag.job.method.sparsegpt;
