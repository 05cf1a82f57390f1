package org.nowag.io.imatrix;

import java.io.IOException;

/** An importance-matrix file (llama.cpp .dat or GGUF) that is malformed; the message names the file and problem. */
public class ImatrixFormatException extends IOException {
    public ImatrixFormatException(String file, String problem) {
        super(file + ": " + problem);
    }
}
