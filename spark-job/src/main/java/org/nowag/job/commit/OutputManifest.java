package org.nowag.job.commit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.fs.FileDigest;

/**
 * _MANIFEST.json: every file of a published model with its size and SHA-256, written just before _SUCCESS. A reader
 * that sees _SUCCESS knows the manifest is complete, and can check that the files are exactly the ones listed.
 */
public final class OutputManifest {
    public static final String FILE = "_MANIFEST.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private OutputManifest() {}

    public static String toJson(String fingerprint, Collection<FileDigest> files) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "nowag-manifest-v1");
        root.put("fingerprint", fingerprint);
        ArrayNode list = root.putArray("files");
        TreeMap<String, FileDigest> sorted = new TreeMap<>();
        for (FileDigest d : files) sorted.put(d.name, d);
        for (FileDigest d : sorted.values()) {
            ObjectNode f = list.addObject();
            f.put("name", d.name);
            f.put("size", d.size);
            f.put("sha256", d.sha256);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<FileDigest> read(FileSystem fs, Path dir) throws IOException {
        JsonNode root;
        try (FSDataInputStream in = fs.open(new Path(dir, FILE))) {
            root = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        List<FileDigest> out = new ArrayList<>();
        for (JsonNode f : root.path("files")) {
            out.add(new FileDigest(f.path("name").asText(), f.path("size").asLong(), f.path("sha256").asText()));
        }
        return out;
    }

    /**
     * Checks a published model: _SUCCESS present, and every file listed in the manifest present with its size and
     * SHA-256, and no other file beside them (besides _SUCCESS and the manifest). Returns the problems (empty = valid).
     */
    public static List<String> verify(FileSystem fs, Path dir) throws IOException {
        List<String> problems = new ArrayList<>();
        if (!fs.exists(new Path(dir, "_SUCCESS"))) {
            problems.add(dir + ": no _SUCCESS marker: the model was not (completely) published");
            return problems;
        }
        TreeMap<String, FileDigest> listed = new TreeMap<>();
        for (FileDigest d : read(fs, dir)) listed.put(d.name, d);
        for (FileStatus st : fs.listStatus(dir)) {
            String name = st.getPath().getName();
            if (name.equals("_SUCCESS") || name.equals(FILE) || name.startsWith(".")) continue;
            FileDigest want = listed.remove(name);
            if (want == null) {
                problems.add(name + ": present but not in the manifest");
                continue;
            }
            FileDigest got = FileDigest.of(fs, st.getPath());
            if (!got.equals(want)) problems.add(name + ": is " + got + ", manifest says " + want);
        }
        for (String missing : listed.keySet()) problems.add(missing + ": in the manifest but missing");
        return problems;
    }
}
