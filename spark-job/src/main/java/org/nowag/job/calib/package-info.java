/**
 * calibrate: activation statistics (diag(X^T X) and the full X^T X) of a model over real text, on Spark. Must not
 * depend on the compression run or its methods.
 */
package org.nowag.job.calib;
