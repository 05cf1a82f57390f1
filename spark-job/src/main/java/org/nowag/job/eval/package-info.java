/**
 * evaluate: a compressed model against its original on real text (cosine, top-1 agreement, perplexity), on Spark.
 * Must not depend on the compression run.
 */
package org.nowag.job.eval;
