/**
 * SparseGPT: the OBS sweep over blocks of columns with the inverse Hessian's Cholesky factor, blocked ND4J GEMMs,
 * and the output loss from the full X^T X. Pure computation: no Spark, no files.
 */
package org.nowag.kernels.sparsegpt;
