package org.nowag.io.tokenizer;

import java.io.IOException;

/** A tokenizer.json that is malformed or uses a component this reader does not implement; names the file. */
public class TokenizerFormatException extends IOException {
    public TokenizerFormatException(String file, String problem) {
        super(file + ": " + problem);
    }
}
