/**
 * JMH micro-benchmarks of the kernels and the dtype conversion, with their data generators and runner. Benchmarks
 * only: nothing in the other modules may depend on this module.
 */
package org.nowag.bench;
