package org.nowag.io.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.fs.FileDigest;

class ModelFingerprintTest {
    @TempDir java.nio.file.Path dir;

    /** One F32 tensor "w" of shape [n], header padded to 8 bytes. */
    private void writeModel(int n) throws IOException {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[" + n + "],\"data_offsets\":[0," + 4 * n + "]}}";
        while (header.length() % 8 != 0) header += " ";
        ByteBuffer b = ByteBuffer.allocate(8 + header.length() + 4 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length()).put(header.getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("model.safetensors"), b.array());
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\"}");
    }

    private String input() throws IOException {
        return ModelFingerprint.ofInput(ModelDirectory.open(dir.toUri().toString(), new Configuration()));
    }

    @Test
    void theInputFingerprintFollowsHeadersConfigAndSideFiles() throws IOException {
        writeModel(2);
        Files.writeString(dir.resolve("tokenizer.json"), "{\"a\": 1}");
        String first = input();
        assertEquals(first, input(), "a pure function of the folder");
        Files.writeString(dir.resolve("tokenizer.json"), "{\"a\": 2}");
        String sideChanged = input();
        assertNotEquals(first, sideChanged);
        writeModel(3);
        assertNotEquals(sideChanged, input());
        String before = input();
        Files.writeString(dir.resolve("_MANIFEST.json"), "{}");
        assertNotEquals(before, input(), "an output of ours brings its manifest's digests");
    }

    @Test
    void theOutputFingerprintIgnoresOrderAndTheFilesThatDescribeTheRun() {
        FileDigest shard = new FileDigest("model.safetensors", 10, "aa");
        FileDigest config = new FileDigest("config.json", 5, "bb");
        String f = ModelFingerprint.ofOutput(List.of(shard, config));
        assertEquals(f, ModelFingerprint.ofOutput(List.of(config, shard, new FileDigest("report.json", 3, "cc"),
                new FileDigest("README.md", 1, "dd"), new FileDigest("nowag_provenance.json", 2, "ee"))));
        assertNotEquals(f, ModelFingerprint.ofOutput(List.of(shard, new FileDigest("config.json", 5, "bc"))));
    }
}
