/**
 * Progress of Spark stages on the terminal (one line, rewritten). Knows Spark's listener API only, not the run.
 */
package org.nowag.job.progress;
