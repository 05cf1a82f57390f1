package org.nowag.io.model;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.Path;
import org.nowag.io.text.InvalidJsonException;
import org.nowag.io.text.StrictJson;

/**
 * The files a model carries beside its tensors (tokenizer.json, tokenizer_config.json, generation_config.json, ...),
 * checked before a run writes anything: every JSON file is read to its end under {@link StrictJson}'s rules (strict
 * UTF-8, no repeated key, one value), so a broken tokenizer is refused up front instead of being copied into a
 * published model or read leniently into another vocabulary. Other side files (vocab.txt, tokenizer.model, ...) are
 * not parsed here; they are copied byte for byte. config.json and the index are checked by {@link ModelDirectory#open}.
 */
public final class SideFiles {
    /** The JSON files Hugging Face loaders read as one object. */
    static final Set<String> OBJECT_FILES = Set.of("tokenizer.json", "tokenizer_config.json", "generation_config.json",
            "special_tokens_map.json", "preprocessor_config.json");
    /** Tokenizers nest normalizer and pre-tokenizer sequences a few levels deep; 64 is far beyond any real one. */
    static final int MAX_DEPTH = 64;

    private SideFiles() {}

    /** Hadoop's local file system keeps .NAME.crc beside files it wrote; an edited file then fails every read. */
    static IOException checksumMismatch(Path p) {
        return new IOException(p + ": does not match its Hadoop checksum file ." + p.getName() + ".crc (the file "
                + "changed after it was written); restore the file, or delete the .crc file if the change is intended");
    }

    /** Checks every JSON side file of the model; streams each, so a large tokenizer is never held whole. */
    public static void check(ModelDirectory model) throws IOException {
        for (Path p : model.otherFiles()) {
            if (!p.getName().endsWith(".json")) continue;
            String file = p.toString();
            JsonToken first;
            try (InputStream in = model.fileSystem().open(p)) {
                first = StrictJson.validate(file, in, MAX_DEPTH);
            } catch (ChecksumException e) {
                throw checksumMismatch(p);
            }
            if (OBJECT_FILES.contains(p.getName()) && first != JsonToken.START_OBJECT) {
                throw new InvalidJsonException(file, "top level is not a JSON object");
            }
        }
    }
}
