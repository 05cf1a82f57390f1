/**
 * The public Java API (Nowag, CompressOptions, reports) and the registry of compression methods
 * (CompressionMethod). Entry points only: the run itself is in job.run, the methods in job.method.*.
 */
package org.nowag.job.api;
