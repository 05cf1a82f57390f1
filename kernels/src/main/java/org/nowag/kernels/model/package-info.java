/**
 * Forward passes of BERT and Llama on ND4J for calibration and evaluation (activation statistics, X^T X,
 * perplexity, sentence embeddings). Weights come through WeightSource; must not read files or know Spark.
 */
package org.nowag.kernels.model;
