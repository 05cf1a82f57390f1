package org.nowag.job.commit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.card.ModelCard;
import org.nowag.io.card.Provenance;
import org.nowag.io.card.PublishedConfig;
import org.nowag.io.card.RawFormat;
import org.nowag.io.card.SparsityConfig;
import org.nowag.io.fs.AtomicFiles;
import org.nowag.io.fs.FileDigest;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.model.OutputFiles;

/**
 * The files of an output folder besides the weights, written in one place for every command that publishes a model
 * (compress of every method, decompress): config.json in the keys the ecosystem knows ({@link PublishedConfig}), the
 * input's side files that belong to the model ({@link OutputFiles}; what is left out is returned with its reason for
 * the report), {@value Provenance#FILE} (the input's history plus this step) and README.md ({@link ModelCard}).
 * Every file is hashed while it is written, so the manifest needs no second read. No Spark: driver-side, small files.
 */
public final class ModelFolder {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The base's README.md is read for its licence only; one larger than this is not read. */
    private static final long MAX_README = 1 << 20;

    /** What a step made; the caller fills what it knows (null/empty where it does not apply). */
    public static final class Step {
        /** compress or decompress. */
        public String command = "compress";
        /** PRUNED (dense with zeros), RAW_VQ, RAW_ARMOR or DECOMPRESSED. */
        public ModelCard.Kind kind;
        /** CLI name of the method (for decompress: the method the input was made with). */
        public String method;
        /** The method's full description (the block older outputs kept in config.json); never null. */
        public ObjectNode description = JSON.createObjectNode();
        /** Pruned outputs: the weights pruned, the 2-D weights left dense, zeros / weights, the pattern's text. */
        public List<String> prunedWeights = new ArrayList<>();
        public List<String> leftDense = new ArrayList<>();
        public double sparsity;
        public String pattern;
        public Double bitsPerWeight;
        /** Redacted command line, or null (run through the API). */
        public List<String> commandLine;
        /** ISO-8601 UTC. */
        public String started;
        public String finished;
        public String tool;
        /** Component to version for the card (Spark, Java). */
        public Map<String, String> versions = new LinkedHashMap<>();
    }

    /** What was written (with digests) and what of the input was left out (NAME: reason). */
    public static final class Written {
        public final List<FileDigest> files = new ArrayList<>();
        public final List<String> leftOut = new ArrayList<>();
    }

    private final FileSystem fs;
    private final Path root;
    private final ModelDirectory input;
    private final OutputFiles rules;

    public ModelFolder(FileSystem fs, Path root, ModelDirectory input, OutputFiles rules) {
        this.fs = fs;
        this.root = root;
        this.input = input;
        this.rules = rules;
    }

    public Written write(Step step) throws IOException {
        Written w = new Written();
        ObjectNode inConfig = input.configJson() == null ? null : (ObjectNode) JSON.readTree(input.configJson());
        ObjectNode config = config(step, inConfig);
        if (config != null) w.files.add(writeText(ModelDirectory.CONFIG_FILE, JSON.writeValueAsString(config)));

        List<OutputFiles.Decision> decisions = rules.decideAll(input.fileSystem(), input.root());
        for (String name : OutputFiles.copies(decisions)) w.files.add(copy(new Path(input.root(), name)));
        w.leftOut.addAll(OutputFiles.leftOut(decisions));

        Path provenanceIn = new Path(input.root(), Provenance.FILE);
        String earlierText = input.fileSystem().exists(provenanceIn) ? readText(provenanceIn) : null;
        Provenance earlier = Provenance.inherited(provenanceIn.toString(), earlierText, inConfig);
        ObjectNode s = Provenance.step(step.command, step.tool, step.started, step.finished, input.root().toString(),
                root.toString());
        s.put("method", step.method);
        if (step.commandLine != null) step.commandLine.forEach(s.putArray("command_line")::add);
        s.set("description", step.description);
        w.files.add(writeText(Provenance.FILE, earlier.then(s).toJson()));

        ModelCard card = card(step, inConfig, earlier);
        w.files.add(writeText(ModelCard.FILE, card.render()));
        return w;
    }

    /** config.json for the step's kind, or null when the input had none and a dense output then has none either. */
    static ObjectNode config(Step step, ObjectNode inConfig) {
        switch (step.kind) {
            case PRUNED:
                if (inConfig == null) return null;
                return PublishedConfig.pruned(inConfig, new SparsityConfig(step.prunedWeights, step.leftDense,
                        step.sparsity, step.pattern));
            case RAW_VQ:
            case RAW_ARMOR:
            case RAW_RTN:
                RawFormat f = step.kind == ModelCard.Kind.RAW_VQ ? RawFormat.NOWAG_VQ
                        : step.kind == ModelCard.Kind.RAW_ARMOR ? RawFormat.ARMOR : RawFormat.RTN;
                return PublishedConfig.raw(inConfig == null ? JSON.createObjectNode() : inConfig, f, step.description);
            case DECOMPRESSED:
                return inConfig == null ? null : PublishedConfig.restored(inConfig);
            default:
                throw new IllegalArgumentException(String.valueOf(step.kind));
        }
    }

    private ModelCard card(Step step, ObjectNode inConfig, Provenance earlier) throws IOException {
        ModelCard c = new ModelCard();
        c.kind = step.kind;
        c.method = step.method;
        c.input = input.root().toString();
        if (inConfig != null) {
            c.baseModel = ModelCard.baseModelId(inConfig);
            c.pipelineTag = ModelCard.pipelineTag(inConfig);
        }
        Path readme = new Path(input.root(), ModelCard.FILE);
        if (input.fileSystem().exists(readme) && input.fileSystem().getFileStatus(readme).getLen() <= MAX_README) {
            c.license = ModelCard.licenseOf(readText(readme));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = step.description.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isValueNode() && !CARD_SKIPS.contains(e.getKey())) c.settings.put(e.getKey(), e.getValue().asText());
        }
        if (step.kind == ModelCard.Kind.PRUNED || step.kind == ModelCard.Kind.RAW_ARMOR) c.sparsity = step.sparsity;
        c.bitsPerWeight = step.bitsPerWeight;
        c.commandLine = step.commandLine == null ? null : org.nowag.io.card.RedactedCommandLine.join(step.commandLine);
        c.started = step.started;
        c.finished = step.finished;
        if (step.tool != null) c.versions.put("tool", step.tool);
        c.versions.putAll(step.versions);
        for (ObjectNode s : earlier.steps()) {
            c.history.add(s.path("command").asText("?") + " " + s.path("method").asText(
                    s.path("description").path("method").asText(s.path("compression").path("method").asText("")))
                    + (s.has("finished") ? " (" + s.get("finished").asText() + ")" : ""));
        }
        return c;
    }

    /** Keys of a method's description that are no setting of the card (said elsewhere, or per tensor). */
    private static final java.util.Set<String> CARD_SKIPS = java.util.Set.of("tool", "method", "tensors",
            "tensors_compressed", "bits_per_weight", "bits_per_weight_counts", "overall_sparsity", "quant_method");

    private FileDigest writeText(String name, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Path dest = new Path(root, name);
        FileDigest[] digest = new FileDigest[1];
        fs.delete(dest, false);
        AtomicFiles.write(fs, dest, o -> {
            FileDigest.Counting counted = new FileDigest.Counting(o);
            counted.write(bytes);
            counted.close();
            digest[0] = counted.digest(name);
        });
        return digest[0];
    }

    /** Copies one input file byte for byte, hashing it on the way. */
    private FileDigest copy(Path source) throws IOException {
        Path dest = new Path(root, source.getName());
        FileDigest[] digest = new FileDigest[1];
        fs.delete(dest, false);
        try (InputStream in = input.fileSystem().open(source)) {
            AtomicFiles.write(fs, dest, o -> {
                FileDigest.Counting counted = new FileDigest.Counting(o);
                in.transferTo(counted);
                counted.close();
                digest[0] = counted.digest(dest.getName());
            });
        }
        return digest[0];
    }

    private String readText(Path p) throws IOException {
        try (InputStream in = input.fileSystem().open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
