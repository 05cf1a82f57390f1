package org.nowag.io.tokenizer;

/** One step of tokenizer.json's "normalizer": text in, text out. */
@FunctionalInterface
interface Normalizer {
    String normalize(String text);

    Normalizer IDENTITY = s -> s;
}
