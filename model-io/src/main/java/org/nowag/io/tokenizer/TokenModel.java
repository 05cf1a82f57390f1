package org.nowag.io.tokenizer;

/** tokenizer.json's "model": turns one pre-tokenized word into ids. */
interface TokenModel {
    void tokenize(String word, IntList out);

    /** The model's own vocabulary (added tokens are kept by the pipeline). */
    Vocab vocab();
}
