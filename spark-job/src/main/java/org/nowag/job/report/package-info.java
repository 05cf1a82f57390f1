/**
 * report.html: report.json for people (self-contained XHTML with inline SVG). Reads a CompressionReport only; no
 * Spark, no files.
 */
package org.nowag.job.report;
