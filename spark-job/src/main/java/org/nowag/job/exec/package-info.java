/**
 * What runs on executors: the shard task every method goes through (with the test fault hooks), VQ's row-block
 * passes, decompress's shard task, the kernels' thread count. Tasks are plain serializable classes; no driver
 * state.
 */
package org.nowag.job.exec;
