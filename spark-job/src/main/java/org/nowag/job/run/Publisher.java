package org.nowag.job.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nowag.io.fs.AtomicFiles;
import org.nowag.io.fs.FileDigest;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.model.ShardLayout;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.TensorReport;
import org.nowag.job.api.Version;
import org.nowag.job.commit.OutputLayout;
import org.nowag.job.commit.OutputManifest;
import org.nowag.job.commit.ShardRecord;
import org.nowag.job.plan.TargetTensor;
import org.nowag.job.report.HtmlReport;

/**
 * The driver's last step, once every shard is committed: the index (several shards), config.json with the
 * compression block, the model's other files, report.json and report.html, then _MANIFEST.json (the shards'
 * digests from their records, the small files' from the bytes written here: nothing is read back) and last
 * _SUCCESS. Only the run holding the output's claim gets here.
 */
final class Publisher {
    /** Beside each shard holding part tensors: STEM.parts.arrow (model.safetensors -> model.parts.arrow). */
    static final String ARROW_SUFFIX = ".parts.arrow";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final OutputLayout out;
    private final CompressionRun.Planned planned;
    private final Configuration conf;

    Publisher(OutputLayout out, CompressionRun.Planned planned, Configuration conf) {
        this.out = out;
        this.planned = planned;
        this.conf = conf;
    }

    static String arrowFileFor(String shardName) {
        String stem = shardName.endsWith(".safetensors") ? shardName.substring(0, shardName.length() - 12) : shardName;
        return stem + ARROW_SUFFIX;
    }

    void publish(CompressionReport report, ShardLayout layout, Map<String, ShardRecord> records, long started)
            throws IOException {
        List<FileDigest> files = new ArrayList<>();
        for (ShardRecord r : records.values()) {
            files.add(r.shardDigest);
            if (r.arrowDigest != null) files.add(r.arrowDigest);
        }
        if (layout.shardCount() > 1) files.add(write(ShardLayout.INDEX_FILE, layout.indexJson()));
        String config = planned.model.configJson();
        ObjectNode node = config == null ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(config);
        node.set("compression", compressionBlock(report));
        files.add(write(ModelDirectory.CONFIG_FILE, JSON.writeValueAsString(node)));
        for (Path other : planned.model.otherFiles()) files.add(copy(other));
        report.wallSeconds = (System.nanoTime() - started) / 1e9;
        files.add(write(out.report().getName(), report.toJson()));
        files.add(write("report.html", HtmlReport.render(report)));
        // The manifest, then _SUCCESS, last: a reader that sees _SUCCESS finds a complete manifest beside it.
        out.writeText(out.manifest(), OutputManifest.toJson(planned.plan.fingerprint, files));
        out.deleteTempLeftovers();
        out.writeText(out.successMarker(), planned.plan.fingerprint);
    }

    /**
     * config.json's compression block: the tool, the method, and per compressed tensor its method, dtype and shape
     * with the method's own keys; a run whose tensors share one method and parameters also gets that method's
     * run-level keys (format, pattern, ...), as every output before recipes had them.
     */
    ObjectNode compressionBlock(CompressionReport report) {
        ObjectNode c = JSON.createObjectNode();
        c.put("tool", "nowag-spark " + Version.VERSION);
        c.put("method", report.method);
        Map<String, List<TensorReport>> groups = new LinkedHashMap<>();
        Map<String, TargetTensor> first = new LinkedHashMap<>();
        for (TensorReport t : report.tensors) {
            TargetTensor target = planned.plan.target(t.name);
            String key = target.method.name() + "\n" + target.params.identity();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
            first.putIfAbsent(key, target);
        }
        if (groups.size() == 1) {
            TargetTensor t = first.values().iterator().next();
            t.method.describeRun(c, t.params, groups.values().iterator().next());
        }
        c.put("calibration", report.calibration);
        c.put("tensors_compressed", report.tensorsCompressed);
        ObjectNode tensors = c.putObject("tensors");
        for (TensorReport t : report.tensors) {
            ObjectNode e = tensors.putObject(t.name);
            e.put("method", t.method);
            e.put("parameters", t.pattern);
            e.put("dtype", t.dtype);
            var shape = e.putArray("shape");
            for (long d : t.shape) shape.add(d);
            planned.plan.target(t.name).method.describeTensor(e, t);
        }
        return c;
    }

    private FileDigest write(String name, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(new Path(out.root(), name), bytes);
        return new FileDigest(name, bytes.length, sha256(bytes));
    }

    /** Copies one of the model's other files (tokenizer, ...), hashing it on the way. */
    private FileDigest copy(Path source) throws IOException {
        Path dest = new Path(out.root(), source.getName());
        FileDigest[] digest = new FileDigest[1];
        out.fs().delete(dest, false);
        try (InputStream in = source.getFileSystem(conf).open(source)) {
            AtomicFiles.write(out.fs(), dest, o -> {
                FileDigest.Counting counted = new FileDigest.Counting(o);
                in.transferTo(counted);
                counted.close();
                digest[0] = counted.digest(dest.getName());
            });
        }
        return digest[0];
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
