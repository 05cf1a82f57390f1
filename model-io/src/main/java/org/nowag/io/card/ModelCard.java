package org.nowag.io.card;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * README.md of an output in the Hugging Face model-card layout: YAML front matter (base_model when the input names a
 * Hub repository, base_model_relation, library_name when a standard library loads the folder, pipeline_tag when the
 * architecture tells it, license carried over from the base's card, tags), then the method and its settings, bits per
 * weight, sparsity, quality numbers when an evaluation ran, how to use the folder, the command line (secrets already
 * redacted by the caller), versions and timestamps. Every value in the front matter is written as a JSON string,
 * which is a valid YAML scalar whatever it holds.
 */
public final class ModelCard {
    public static final String FILE = "README.md";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A Hub repository id: owner/name of letters, digits, '-', '_', '.'. */
    private static final Pattern REPO_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*");

    /** What the output is, which decides library_name and the usage section. */
    public enum Kind { PRUNED, RAW_VQ, RAW_ARMOR, RAW_RTN, DECOMPRESSED }

    public Kind kind;
    /** Hub id of the base model, or null (a local or cluster path is no valid base_model). */
    public String baseModel;
    /** Where the input was read from, as given. */
    public String input;
    /** The CLI name of the method (nowag-p, wanda, nowag-vq, armor, ...). */
    public String method;
    /** The method's settings in display order (pattern, sparsity, subvector dim, ...). */
    public final Map<String, String> settings = new LinkedHashMap<>();
    public Double bitsPerWeight;
    public Double sparsity;
    public String pipelineTag;
    public String license;
    /** Metric name to value, in display order; empty when no evaluation ran. */
    public final Map<String, String> evaluation = new LinkedHashMap<>();
    /** The command line, already redacted ({@link RedactedCommandLine}); null when run through the API. */
    public String commandLine;
    /** Component to version (nowag-spark, Spark, Java), in display order. */
    public final Map<String, String> versions = new LinkedHashMap<>();
    /** ISO-8601 UTC. */
    public String started;
    public String finished;
    /** Earlier steps from the provenance, one line each, oldest first. */
    public final List<String> history = new ArrayList<>();

    public String render() {
        StringBuilder s = new StringBuilder("---\n");
        if (baseModel != null) {
            s.append("base_model: ").append(q(baseModel)).append('\n');
            // The Hub's relations are adapter, merge, quantized, finetune: pruning is none of them, so the Hub infers it.
            if (kind == Kind.RAW_VQ || kind == Kind.RAW_ARMOR || kind == Kind.RAW_RTN) s.append("base_model_relation: ").append(q("quantized")).append('\n');
        }
        if (kind != Kind.RAW_VQ && kind != Kind.RAW_ARMOR && kind != Kind.RAW_RTN) s.append("library_name: ").append(q("transformers")).append('\n');
        if (pipelineTag != null) s.append("pipeline_tag: ").append(q(pipelineTag)).append('\n');
        if (license != null) s.append("license: ").append(q(license)).append('\n');
        s.append("tags:\n");
        for (String tag : tags()) s.append("- ").append(q(tag)).append('\n');
        s.append("---\n\n");

        s.append("# ").append(title()).append("\n\n");
        s.append(summary()).append("\n\n");
        s.append("## Method\n\n");
        s.append("| setting | value |\n|---|---|\n");
        s.append("| method | ").append(cell(method)).append(" |\n");
        settings.forEach((k, v) -> s.append("| ").append(cell(k)).append(" | ").append(cell(v)).append(" |\n"));
        if (sparsity != null) s.append("| sparsity of the compressed weights | ").append(String.format(Locale.ROOT, "%.4f", sparsity)).append(" |\n");
        if (bitsPerWeight != null) s.append("| stored bits per weight | ").append(String.format(Locale.ROOT, "%.4f", bitsPerWeight)).append(" |\n");
        s.append('\n');
        if (!evaluation.isEmpty()) {
            s.append("## Quality\n\n| metric | value |\n|---|---|\n");
            evaluation.forEach((k, v) -> s.append("| ").append(cell(k)).append(" | ").append(cell(v)).append(" |\n"));
            s.append('\n');
        }
        s.append("## Use\n\n").append(usage()).append("\n\n");
        s.append("## Provenance\n\n");
        if (input != null) s.append("- input: `").append(code(input)).append("`\n");
        for (String h : history) s.append("- earlier: ").append(h).append('\n');
        if (started != null) s.append("- started: ").append(started).append('\n');
        if (finished != null) s.append("- finished: ").append(finished).append('\n');
        versions.forEach((k, v) -> s.append("- ").append(k).append(": ").append(v).append('\n'));
        s.append("- full record: `report.json`, `" + Provenance.FILE + "`\n");
        if (commandLine != null) {
            String fence = fenceFor(commandLine);
            s.append("\nCommand line (secrets redacted):\n\n").append(fence).append("sh\n").append(commandLine)
                    .append('\n').append(fence).append('\n');
        }
        return s.toString();
    }

    private List<String> tags() {
        List<String> t = new ArrayList<>();
        t.add("nowag-spark");
        if (method != null) t.add(method);
        switch (kind) {
            case PRUNED -> { t.add("pruned"); t.add("sparse"); }
            case RAW_VQ -> t.add("vector-quantization");
            case RAW_ARMOR -> { t.add("pruned"); t.add("2:4"); }
            case RAW_RTN -> t.add("quantized");
            case DECOMPRESSED -> t.add("decompressed");
            default -> { }
        }
        return t;
    }

    private String title() {
        String base = baseModel != null ? baseModel : input != null ? lastPart(input) : "model";
        return base + (kind == Kind.DECOMPRESSED ? " (decompressed " : " (") + (method == null ? "compressed" : method) + ")";
    }

    private String summary() {
        return switch (kind) {
            case PRUNED -> "A dense safetensors model whose weights were pruned with " + method + ": the zeros are stored "
                    + "as ordinary values, so it loads unchanged wherever the base model loads. config.json's "
                    + "`sparsity_config` describes the pruning (compressed-tensors field names).";
            case RAW_VQ -> "NoWag-VQ codes, codebooks and norms in safetensors (`*.vq.*` tensors): no standard library "
                    + "loads this folder. config.json declares `model_type` \"" + RawFormat.NOWAG_VQ.modelType
                    + "\" and a `quantization_config` with quant_method \"" + RawFormat.NOWAG_VQ.quantMethod
                    + "\", so transformers refuses it instead of loading random weights.";
            case RAW_ARMOR -> "ARMOR factors (2:4 core and block-diagonal wrappers, `*.armor.*` tensors) beside the dense "
                    + "reconstruction: config.json declares `model_type` \"" + RawFormat.ARMOR.modelType
                    + "\" and a `quantization_config` with quant_method \"" + RawFormat.ARMOR.quantMethod
                    + "\", so a standard loader refuses it.";
            case RAW_RTN -> "Round-to-nearest integer codes with a scale and zero point per group (`*.rtn.*` tensors): "
                    + "no standard library loads this folder. config.json declares `model_type` \"" + RawFormat.RTN.modelType
                    + "\" and a `quantization_config` with quant_method \"" + RawFormat.RTN.quantMethod
                    + "\", so transformers refuses it instead of loading random weights.";
            case DECOMPRESSED -> "A dense safetensors model rebuilt by `nowag decompress` from a " + method
                    + " output: it loads wherever the base model loads.";
        };
    }

    private String usage() {
        return switch (kind) {
            case PRUNED, DECOMPRESSED -> "Load it as the base model (transformers `AutoModel.from_pretrained(folder)`, "
                    + "vLLM, llama.cpp's convert_hf_to_gguf.py, transformers.js after an ONNX export).";
            case RAW_VQ, RAW_ARMOR, RAW_RTN -> "Turn it into a standard dense model first:\n\n"
                    + "```sh\nnowag decompress --model THIS_FOLDER --out DENSE_FOLDER\n```";
        };
    }

    /** pipeline_tag from the first architecture's suffix, or null when it does not tell. */
    public static String pipelineTag(JsonNode config) {
        JsonNode a = PublishedConfig.baseArchitectures(config);
        if (a.isEmpty()) return null;
        String arch = a.get(0).asText();
        if (arch.endsWith("ForCausalLM")) return "text-generation";
        if (arch.endsWith("ForMaskedLM")) return "fill-mask";
        if (arch.endsWith("ForSequenceClassification")) return "text-classification";
        if (arch.endsWith("ForTokenClassification")) return "token-classification";
        if (arch.endsWith("ForQuestionAnswering")) return "question-answering";
        if (arch.endsWith("Model") && "bert".equals(PublishedConfig.baseModelType(config))) return "feature-extraction";
        return null;
    }

    /** config.json's _name_or_path when it is a Hub repository id (not a local path), else null. */
    public static String baseModelId(JsonNode config) {
        String name = config == null ? null : config.path("_name_or_path").asText(null);
        return name != null && REPO_ID.matcher(name).matches() ? name : null;
    }

    /** The license a base model's README.md front matter declares, or null. */
    public static String licenseOf(String readme) {
        if (readme == null || !readme.startsWith("---")) return null;
        int end = readme.indexOf("\n---", 3);
        if (end < 0) return null;
        Matcher m = Pattern.compile("(?m)^license:\\s*[\"']?([^\"'\\n#]+?)[\"']?\\s*$").matcher(readme.substring(3, end));
        return m.find() ? m.group(1) : null;
    }

    private static String q(String v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Markdown table cell: pipes escaped, line breaks flattened. */
    private static String cell(String v) {
        return v == null ? "" : v.replace("|", "\\|").replace('\n', ' ').replace('\r', ' ');
    }

    private static String code(String v) {
        return v.replace("`", "'");
    }

    /** A code fence longer than any run of backticks in the text, so the text cannot close it. */
    static String fenceFor(String text) {
        int longest = 0;
        Matcher m = Pattern.compile("`+").matcher(text);
        while (m.find()) longest = Math.max(longest, m.group().length());
        return "`".repeat(Math.max(3, longest + 1));
    }

    private static String lastPart(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }
}
