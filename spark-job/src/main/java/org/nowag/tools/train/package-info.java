/**
 * train-llama: trains the small causal Llama test fixture (BPE tokenizer, ND4J's SameDiff graph, Adam, checkpoints,
 * loss log and curve) from text, runnable from the CLI. Not part of a compression run: production packages
 * (org.nowag.job.*) must not depend on this package.
 */
package org.nowag.tools.train;
