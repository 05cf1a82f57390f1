/**
 * What a published output says about itself to the ecosystem and to people: the config.json keys other tools know
 * (a compressed-tensors style {@code sparsity_config} for pruned models; a self-declaring model_type and
 * {@code quantization_config} for the NoWag-VQ and ARMOR formats), our own provenance file, the README.md model card,
 * and the command line with its secrets redacted. JSON and text only: no Spark, no algorithms, no tensor bytes.
 */
package org.nowag.io.card;
