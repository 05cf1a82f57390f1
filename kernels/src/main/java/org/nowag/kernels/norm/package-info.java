/**
 * NoWag's normalization: column and row norms, W_bar. Pure computation on float arrays; no Spark, no files.
 */
package org.nowag.kernels.norm;
