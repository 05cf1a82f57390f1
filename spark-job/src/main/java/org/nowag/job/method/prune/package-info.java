/**
 * The NoWag-P, Wanda and magnitude plug-in: row-block pruning, with column-norm and whole-matrix threshold passes
 * for split tensors. Depends on the method contract and the prune kernel; only the registry depends on it.
 */
package org.nowag.job.method.prune;
