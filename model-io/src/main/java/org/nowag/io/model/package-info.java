/**
 * A Hugging Face model directory (config, shards, index) read from headers only, and the sharded layout of an
 * output. No kernels, no Spark.
 */
package org.nowag.io.model;
