/**
 * The round-to-nearest plug-in (compress --method rtn): per-output-channel asymmetric INTn with a scale and zero
 * point per group of inputs. Depends on the method contract, the quant kernel and the RTN format; only the registry
 * depends on it.
 */
package org.nowag.job.method.rtn;
