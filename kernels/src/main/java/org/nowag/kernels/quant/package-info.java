/**
 * Scalar weight quantization: round-to-nearest (RTN) with an asymmetric grid per group of inputs, the baseline every
 * quantization paper compares against. Pure arithmetic on flat float arrays; no Spark, no files, no model-io.
 */
package org.nowag.kernels.quant;
