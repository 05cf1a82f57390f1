package org.nowag.io.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.safetensors.BoundedJson;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.SafetensorsFormatException;
import org.nowag.io.safetensors.SafetensorsHeader;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.text.InvalidJsonException;
import org.nowag.io.text.StrictJson;
import org.nowag.io.text.StrictUtf8;

/**
 * A Hugging-Face-style model directory on any Hadoop FileSystem (file:, hdfs:, s3a:): config.json, and either
 * model.safetensors.index.json + shards or a single model.safetensors. Reads headers only.
 * The index may only name shard files inside this directory (no '/', '..', absolute paths or schemes).
 */
public final class ModelDirectory {
    public static final String CONFIG_FILE = "config.json";
    /** config.json's nesting: real ones (multimodal sub-configs, rope and quantization settings) need 4 or 5 levels. */
    static final int CONFIG_MAX_DEPTH = 32;
    /** config.json and the index are read whole; real ones are kilobytes to a few MiB. */
    private static final long MAX_SMALL_FILE = 64L << 20;
    /** Leftovers of AtomicFiles: never part of a model. */
    private static final Pattern TEMP_NAME = Pattern.compile(".*\\.tmp-[0-9a-fA-F-]{36}");

    private final FileSystem fs;
    private final Path root;
    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> byName;
    private final Map<String, Path> shardOf;
    private final List<Path> shards;
    private final String configJson;

    private ModelDirectory(FileSystem fs, Path root, List<TensorInfo> tensors, Map<String, TensorInfo> byName,
                           Map<String, Path> shardOf, List<Path> shards, String configJson) {
        this.fs = fs;
        this.root = root;
        this.tensors = tensors;
        this.byName = byName;
        this.shardOf = shardOf;
        this.shards = shards;
        this.configJson = configJson;
    }

    public static ModelDirectory open(String uri, Configuration conf) throws IOException {
        Path given = new Path(uri);
        FileSystem fs = given.getFileSystem(conf);
        Path root = fs.makeQualified(given);
        FileStatus status;
        try {
            status = fs.getFileStatus(root);
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException(root + ": model directory not found");
        }
        if (!status.isDirectory()) {
            throw new SafetensorsFormatException(root.toString(), "not a directory (give the model directory, not a file)");
        }
        Map<String, FileStatus> files = new TreeMap<>();
        Set<String> notFiles = new TreeSet<>();
        for (FileStatus f : fs.listStatus(root)) {
            if (f.isFile()) {
                files.put(f.getPath().getName(), f);
            } else {
                notFiles.add(f.getPath().getName());
            }
        }
        // A directory (or link) under a name the model's layout gives a file would otherwise look like a missing file.
        for (String name : List.of(ShardLayout.INDEX_FILE, ShardLayout.SINGLE_FILE, CONFIG_FILE)) {
            if (notFiles.contains(name)) throw notAFile(root, name);
        }

        List<String> shardNames;
        Map<String, String> weightMap = null;
        Path indexPath = new Path(root, ShardLayout.INDEX_FILE);
        if (files.containsKey(ShardLayout.INDEX_FILE)) {
            weightMap = readWeightMap(indexPath, readSmallFile(fs, files.get(ShardLayout.INDEX_FILE)));
            shardNames = new ArrayList<>(new TreeSet<>(weightMap.values()));
            for (String shard : shardNames) {
                if (notFiles.contains(shard)) throw notAFile(root, shard);
                if (!files.containsKey(shard)) {
                    throw new SafetensorsFormatException(indexPath.toString(), "shard '" + shard + "' named in the index is missing from " + root);
                }
            }
        } else if (files.containsKey(ShardLayout.SINGLE_FILE)) {
            shardNames = List.of(ShardLayout.SINGLE_FILE);
        } else {
            throw new SafetensorsFormatException(root.toString(), "no " + ShardLayout.INDEX_FILE + " and no "
                    + ShardLayout.SINGLE_FILE + "; found " + (files.isEmpty() ? "no files" : String.join(", ", files.keySet())));
        }

        List<TensorInfo> tensors = new ArrayList<>();
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        Map<String, Path> shardOf = new LinkedHashMap<>();
        List<Path> shards = new ArrayList<>();
        for (String shardName : shardNames) {
            Path shard = new Path(root, shardName);
            shards.add(shard);
            SafetensorsHeader header;
            try (SafetensorsFile file = SafetensorsFile.open(fs, shard)) {
                header = file.header();
            }
            for (TensorInfo t : header.tensors()) {
                Path other = shardOf.putIfAbsent(t.name(), shard);
                if (other != null) {
                    throw new SafetensorsFormatException(root.toString(), "duplicate tensor '" + t.name() + "' in shards "
                            + other.getName() + " and " + shardName);
                }
                if (weightMap != null && !shardName.equals(weightMap.get(t.name()))) {
                    String mapped = weightMap.get(t.name());
                    throw new SafetensorsFormatException(indexPath.toString(), "tensor '" + t.name() + "' is in shard "
                            + shardName + " but the index weight_map "
                            + (mapped == null ? "does not list it" : "maps it to " + mapped));
                }
                tensors.add(t);
                byName.put(t.name(), t);
            }
        }
        if (weightMap != null) {
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                if (!byName.containsKey(e.getKey())) {
                    throw new SafetensorsFormatException(indexPath.toString(), "tensor '" + e.getKey()
                            + "' in the index weight_map is missing from the header of shard " + e.getValue());
                }
            }
        }

        String config = null;
        if (files.containsKey(CONFIG_FILE)) {
            config = readConfig(new Path(root, CONFIG_FILE), readSmallFile(fs, files.get(CONFIG_FILE)));
        }
        return new ModelDirectory(fs, root, Collections.unmodifiableList(tensors), Collections.unmodifiableMap(byName),
                Collections.unmodifiableMap(shardOf), Collections.unmodifiableList(shards), config);
    }

    public FileSystem fileSystem() { return fs; }
    /** Fully qualified directory path. */
    public Path root() { return root; }
    /** Every tensor, in shard order then offset order. */
    public List<TensorInfo> tensors() { return tensors; }
    /** null if absent. */
    public TensorInfo tensor(String name) { return byName.get(name); }

    /** The fully qualified shard file holding this tensor. */
    public Path shardOf(String tensorName) {
        Path p = shardOf.get(tensorName);
        if (p == null) throw new IllegalArgumentException(root + ": no tensor '" + tensorName + "'");
        return p;
    }

    /** The fully qualified shard files, in name order (single-file models: model.safetensors). */
    public List<Path> shards() { return shards; }

    /** config.json text, or null if absent. */
    public String configJson() { return configJson; }

    /**
     * Other files in the directory (tokenizer.json, ...): not safetensors, not the index, not config.json; hidden and
     * underscore-prefixed names (_SUCCESS, _staging, .crc checksums) and AtomicFiles temporaries are skipped too.
     */
    public List<Path> otherFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        for (FileStatus f : fs.listStatus(root)) {
            String name = f.getPath().getName();
            if (!f.isFile()
                    || name.endsWith(".safetensors")
                    // Arrow copies of a compressed model's parts describe that model, not one made from it.
                    || name.endsWith(".parts.arrow")
                    || name.equals(ShardLayout.INDEX_FILE)
                    || name.equals(CONFIG_FILE)
                    || name.startsWith(".") || name.startsWith("_")
                    || TEMP_NAME.matcher(name).matches()) {
                continue;
            }
            out.add(f.getPath());
        }
        out.sort(null);
        return out;
    }

    /** config.json as text, once it is known to be strict UTF-8 holding one JSON object (any reader may parse it then). */
    private static String readConfig(Path path, byte[] bytes) throws SafetensorsFormatException {
        try {
            StrictJson.readObject(path.toString(), CONFIG_FILE, bytes, CONFIG_MAX_DEPTH);
            return StrictUtf8.decode(bytes);
        } catch (InvalidJsonException | StrictUtf8.MalformedUtf8Exception e) {
            throw new SafetensorsFormatException(path.toString(), e instanceof InvalidJsonException
                    ? ((InvalidJsonException) e).problem() : e.getMessage());
        }
    }

    private static SafetensorsFormatException notAFile(Path root, String name) {
        return new SafetensorsFormatException(new Path(root, name).toString(), "is a directory (or other non-file), "
                + "but the model layout needs a regular file under this name");
    }

    /** weight_map as tensor -> shard file name, every shard name checked to stay inside this directory. */
    private static Map<String, String> readWeightMap(Path indexPath, byte[] json) throws SafetensorsFormatException {
        String file = indexPath.toString();
        JsonNode root = BoundedJson.readObject(file, "index", json);
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new SafetensorsFormatException(file, "index has no weight_map object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            if (!e.getValue().isTextual()) {
                throw new SafetensorsFormatException(file, "weight_map entry for '" + e.getKey() + "' is not a string");
            }
            String shard = e.getValue().textValue();
            checkShardName(file, e.getKey(), shard);
            out.put(e.getKey(), shard);
        }
        if (out.isEmpty()) {
            throw new SafetensorsFormatException(file, "index weight_map is empty");
        }
        return out;
    }

    /**
     * A shard must be a plain file name in this directory: an index from an untrusted model must not make the job
     * read (or, on assembly, overwrite) /etc/passwd, a sibling directory or another file system.
     */
    static void checkShardName(String file, String tensor, String shard) throws SafetensorsFormatException {
        String problem = null;
        if (shard.isEmpty()) {
            problem = "is empty";
        } else if (shard.indexOf('/') >= 0 || shard.indexOf('\\') >= 0) {
            problem = "contains a path separator (absolute or relative path)";
        } else if (shard.equals(".") || shard.equals("..") || shard.contains("..")) {
            problem = "contains '..'";
        } else if (shard.indexOf(':') >= 0) {
            problem = "contains ':' (a URI scheme or drive)";
        } else if (shard.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            problem = "contains a control character";
        } else if (!shard.endsWith(".safetensors")) {
            problem = "does not end with .safetensors";
        }
        if (problem != null) {
            throw new SafetensorsFormatException(file, "shard name '" + shard + "' for tensor '" + tensor + "' " + problem
                    + "; shards must be plain file names inside the model directory");
        }
    }

    private static byte[] readSmallFile(FileSystem fs, FileStatus status) throws IOException {
        if (status.getLen() > MAX_SMALL_FILE) {
            throw new SafetensorsFormatException(status.getPath().toString(), "too large (" + status.getLen()
                    + " bytes, limit " + MAX_SMALL_FILE + ")");
        }
        byte[] bytes = new byte[(int) status.getLen()];
        try (FSDataInputStream in = fs.open(status.getPath())) {
            in.readFully(0, bytes);
        } catch (ChecksumException e) {
            throw SideFiles.checksumMismatch(status.getPath());
        }
        return bytes;
    }
}
