/**
 * Shared checks for every kernel (shapes, activation vectors). The kernels module is pure computation on flat
 * arrays and ND4J: it must not depend on Spark, Hadoop, files, or the model-io and spark-job modules.
 */
package org.nowag.kernels;
