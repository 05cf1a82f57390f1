/**
 * Measurement tooling, runnable from the CLI but not part of a compression run: bench (methods against the I/O
 * floor and a plain Java loop), mem-check, scale-proof, bench-vq, bench-armor, and their generators and probes.
 * Production packages (org.nowag.job.*) must not depend on this package; it may use any of them.
 */
package org.nowag.tools.measure;
