package org.nowag.io.tokenizer;

/** An entry of tokenizer.json's "added_tokens": text matched verbatim in the input before anything else runs. */
final class AddedToken {
    final int id;
    final String content;
    final boolean special;
    final boolean lstrip;
    final boolean rstrip;
    final boolean singleWord;

    AddedToken(int id, String content, boolean special, boolean lstrip, boolean rstrip, boolean singleWord) {
        this.id = id;
        this.content = content;
        this.special = special;
        this.lstrip = lstrip;
        this.rstrip = rstrip;
        this.singleWord = singleWord;
    }
}
