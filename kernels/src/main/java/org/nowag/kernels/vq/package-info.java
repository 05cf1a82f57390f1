/**
 * NoWag-VQ: weighted k-means of normalized subvectors, whole or over row blocks (BlockedKMeans), half-precision
 * storage and decoding. Pure computation: no Spark, no files.
 */
package org.nowag.kernels.vq;
