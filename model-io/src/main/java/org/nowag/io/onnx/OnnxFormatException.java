package org.nowag.io.onnx;

import java.io.IOException;

/** Malformed protobuf bytes, or an ONNX file that is valid protobuf but not what the importer can use. */
public class OnnxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public OnnxFormatException(String message) {
        super(message);
    }
}
