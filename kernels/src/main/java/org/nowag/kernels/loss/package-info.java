/**
 * The NoWag proxy loss and its energy, the figure every method reports. Pure computation on arrays; depends on
 * nothing but the JDK.
 */
package org.nowag.kernels.loss;
