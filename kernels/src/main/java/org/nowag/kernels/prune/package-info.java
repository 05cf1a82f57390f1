/**
 * Pruning by importance score (NoWag-P, Wanda, magnitude) under a sparsity pattern, whole or over row blocks with
 * an exact whole-matrix threshold (BlockedThreshold). Pure computation: no Spark, no files.
 */
package org.nowag.kernels.prune;
