/**
 * The copy plug-in: the whole run with no kernel (the pipeline's I/O floor). Depends on the method contract only.
 */
package org.nowag.job.method.copy;
