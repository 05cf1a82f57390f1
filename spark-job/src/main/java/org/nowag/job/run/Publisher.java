package org.nowag.job.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.Path;
import org.nowag.io.card.ModelCard;
import org.nowag.io.fs.FileDigest;
import org.nowag.io.model.ModelFingerprint;
import org.nowag.io.model.OutputFiles;
import org.nowag.io.model.ShardLayout;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.TensorReport;
import org.nowag.job.api.Version;
import org.nowag.job.commit.ModelFolder;
import org.nowag.job.commit.OutputLayout;
import org.nowag.job.commit.OutputManifest;
import org.nowag.job.commit.ShardRecord;
import org.nowag.job.plan.TargetTensor;
import org.nowag.job.report.HtmlReport;
import org.nowag.job.report.PhaseClock;

/**
 * The driver's last step, once every shard is committed: the index (several shards), config.json, the model's side
 * files, nowag_provenance.json and README.md (ModelFolder; docs/output-format.md), report.json and report.html, then _MANIFEST.json (the shards'
 * digests from their records, the small files' from the bytes written here: nothing is read back) and last
 * _SUCCESS. Only the run holding the output's claim gets here.
 */
final class Publisher {
    /** Beside each shard holding part tensors: STEM.parts.arrow (model.safetensors -> model.parts.arrow). */
    static final String ARROW_SUFFIX = ".parts.arrow";
    /** The --recipe file's copy in the output. */
    static final String RECIPE_FILE = "recipe.yaml";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final OutputLayout out;
    private final CompressionRun.Planned planned;
    private final OutputFiles sideFiles;

    Publisher(OutputLayout out, CompressionRun.Planned planned, OutputFiles sideFiles) {
        this.out = out;
        this.planned = planned;
        this.sideFiles = sideFiles;
    }

    static String arrowFileFor(String shardName) {
        String stem = shardName.endsWith(".safetensors") ? shardName.substring(0, shardName.length() - 12) : shardName;
        return stem + ARROW_SUFFIX;
    }

    void publish(CompressionReport report, ShardLayout layout, Map<String, ShardRecord> records, long started,
                 PhaseClock clock) throws IOException {
        List<FileDigest> files = new ArrayList<>();
        for (ShardRecord r : records.values()) {
            files.add(r.shardDigest);
            if (r.arrowDigest != null) files.add(r.arrowDigest);
        }
        if (layout.shardCount() > 1) files.add(write(ShardLayout.INDEX_FILE, layout.indexJson()));
        // config.json in the ecosystem's keys, the side files that belong to the model, the history and the card
        ModelFolder.Written folder = new ModelFolder(out.fs(), out.root(), planned.model, sideFiles)
                .write(step(report));
        files.addAll(folder.files);
        report.leftOut = new ArrayList<>(folder.leftOut);
        // The recipe as written (comments and all) beside the model it made; report.json holds it normalised.
        if (planned.recipe.text() != null) files.add(write(RECIPE_FILE, planned.recipe.text()));
        report.outputFingerprint = ModelFingerprint.ofOutput(files);
        report.wallSeconds = (System.nanoTime() - started) / 1e9;
        report.phases = new ArrayList<>(clock.finish());
        report.finished = Instant.now().toString();
        files.add(write(out.report().getName(), report.toJson()));
        files.add(write("report.html", HtmlReport.render(report)));
        // The manifest, then _SUCCESS, last: a reader that sees _SUCCESS finds a complete manifest beside it.
        out.writeText(out.manifest(), OutputManifest.toJson(planned.plan.fingerprint, files));
        out.deleteTempLeftovers();
        out.writeText(out.successMarker(), planned.plan.fingerprint);
    }

    /**
     * What this run made, for ModelFolder: a raw format when any tensor is NoWag-VQ (or else ARMOR), otherwise a
     * pruned dense model whose sparsity_config names the pruned weights and the 2-D float weights left dense.
     */
    ModelFolder.Step step(CompressionReport report) {
        ModelFolder.Step s = new ModelFolder.Step();
        s.command = "compress";
        Set<String> methods = new HashSet<>();
        for (TargetTensor t : planned.plan.targets) methods.add(t.method.name());
        s.kind = methods.contains(CompressionMethod.NOWAG_VQ.cliName()) ? ModelCard.Kind.RAW_VQ
                : methods.contains(CompressionMethod.ARMOR.cliName()) ? ModelCard.Kind.RAW_ARMOR
                : methods.contains(CompressionMethod.RTN.cliName()) ? ModelCard.Kind.RAW_RTN : ModelCard.Kind.PRUNED;
        s.method = report.method;
        s.description = compressionBlock(report);
        Set<String> pruned = new TreeSet<>();
        for (TensorReport t : report.tensors) if (!"copy".equals(t.method)) pruned.add(t.name);
        s.prunedWeights = new ArrayList<>(pruned);
        for (TensorInfo t : planned.plan.inputs) {
            if (t.shape().length == 2 && t.dtype().isFloatConvertible() && !pruned.contains(t.name())) s.leftDense.add(t.name());
        }
        s.sparsity = report.overallSparsity;
        s.pattern = report.pattern;
        s.bitsPerWeight = report.bitsPerWeight;
        s.commandLine = report.commandLine;
        s.tool = report.tool;
        s.started = report.started;
        s.finished = Instant.now().toString();
        s.versions.put("Spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        s.versions.put("Java", System.getProperty("java.version"));
        return s;
    }

    /**
     * The method's description (quantization_config of a raw output, and the provenance step; older outputs kept it as
     * config.json's compression block): the tool, the method, and per compressed tensor its method, dtype and shape
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
        return out.writeHashed(name, text);
    }
}
