/**
 * Getting the SparkContext (embedded local or spark-submit's), Kryo registration, and the Hadoop configuration's
 * trip to executors. No run logic.
 */
package org.nowag.job.spark;
