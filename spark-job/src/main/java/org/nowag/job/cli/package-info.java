/**
 * The nowag command line (picocli): thin commands over the Java API, exit codes 0, 1, 2. Must hold no algorithm and
 * no run logic; measurement commands live in org.nowag.tools.
 */
package org.nowag.job.cli;
