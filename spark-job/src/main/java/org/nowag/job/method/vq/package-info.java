/**
 * The NoWag-VQ plug-in: whole-matrix tasks, or a k-means over row blocks driven from the driver for a matrix above
 * --block-mb. Depends on the method contract and the vq kernel; only the registry depends on it.
 */
package org.nowag.job.method.vq;
