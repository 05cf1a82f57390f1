/**
 * Hugging Face tokenizer.json (WordPiece, BPE, byte-level, Metaspace) for calibration and evaluation text. Format
 * only: no kernels, no Spark.
 */
package org.nowag.io.tokenizer;
