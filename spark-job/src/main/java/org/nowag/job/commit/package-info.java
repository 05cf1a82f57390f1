/**
 * The commit protocol of an output directory: its layout and state, the shard records that make shards committed,
 * the exclusive claim of the run that may publish, and the manifest. Knows no method and no kernel.
 */
package org.nowag.job.commit;
