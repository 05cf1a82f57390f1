package org.nowag.io.tokenizer;

import java.util.OptionalInt;

/**
 * Text to token ids and back, as a Hugging Face {@code tokenizer.json} describes it.
 * {@link #encode} adds the special tokens the file's post-processor asks for (e.g. [CLS] ... [SEP], or BOS);
 * it never truncates or pads. Implementations are immutable and safe to share between threads.
 */
public interface Tokenizer {
    int[] encode(String text);

    /** The text of these ids; special tokens (BOS, [CLS], ...) are left out, as HF's skip_special_tokens=True. */
    String decode(int[] ids);

    /** One more than the largest id (vocabulary plus added tokens): the embedding rows a model needs. */
    int vocabSize();

    OptionalInt bosId();

    OptionalInt eosId();

    OptionalInt padId();
}
