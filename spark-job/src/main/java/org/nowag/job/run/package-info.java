/**
 * The one compression run every method goes through: plan, claim, resume check, preparation, shard tasks, publish,
 * reports, manifest, _SUCCESS. Must not know any method by name: methods come in through the MethodPlugin contract.
 */
package org.nowag.job.run;
