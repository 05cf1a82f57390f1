/**
 * Planning from headers only: recipes (which tensor gets which method), target tensors with their own parameters,
 * row blocks, shard groups, fingerprints and the memory formulas. Must not run Spark or read tensor data.
 */
package org.nowag.job.plan;
