/**
 * The ARMOR plug-in: plans 2:4 whole-matrix tasks and writes W_hat with its six ARMOR tensors. Depends on the
 * method contract and the armor kernel; nothing else of the job may depend on it but the registry.
 */
package org.nowag.job.method.armor;
