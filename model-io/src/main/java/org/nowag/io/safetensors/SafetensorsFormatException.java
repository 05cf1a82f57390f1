package org.nowag.io.safetensors;

import java.io.IOException;

/** A safetensors file (or model directory) that is malformed; the message names the file and the problem. */
public class SafetensorsFormatException extends IOException {
    public SafetensorsFormatException(String file, String problem) {
        super(file + ": " + problem);
    }
}
