/**
 * One budget for the whole model: per-matrix cost curves (data-aware loss against kept weights or stored bits),
 * summarised from row blocks in one pass and merged; the allocator that spends a model-wide total across matrices
 * by a Lagrange multiplier (LACONIC's dual ascent to bracket it, exact search and landing on the total); and OWL's
 * layerwise sparsities as a baseline. Pure compute: no Spark, no files; the job wires it.
 */
package org.nowag.kernels.budget;
