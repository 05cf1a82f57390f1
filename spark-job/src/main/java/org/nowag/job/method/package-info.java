/**
 * The plug-in contract of a compression method (MethodPlugin) and what the run hands a plug-in (plan context,
 * preparation, tensor work, output). The run depends on this contract, never on a particular method.
 */
package org.nowag.job.method;
