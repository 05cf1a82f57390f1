package org.nowag.io.model;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Which entries of an input model folder go into an output folder, and why the others do not. One rule set for
 * every command that writes a model (compress, decompress), so every output holds exactly the files
 * docs/output-format.md lists:
 * <ul>
 * <li><b>copied</b> byte for byte: what a loader of the model reads besides config.json and the weights:
 * generation_config.json, the tokenizer (tokenizer.json, tokenizer_config.json, special_tokens_map.json,
 * added_tokens.json, vocab.txt, vocab.json, merges.txt, SentencePiece and tiktoken models), chat templates,
 * processor configs, sentence-transformers' top-level files, the licence files (LICENSE*, LICENCE*, NOTICE*,
 * USE_POLICY.md) and Python files (remote code that config.json's auto_map names);</li>
 * <li><b>rewritten</b> by the command, never copied: config.json, the safetensors shards and their index, README.md
 * (our model card replaces the base's; its licence is carried into the card's front matter),
 * nowag_provenance.json (extended with the new step);</li>
 * <li><b>left out</b>, each with its reason: weights in other formats (*.bin, *.pt, *.pth, *.ckpt, *.gguf, *.onnx,
 * *.h5, *.msgpack, *.tflite, *.ot, *.npz and their indexes: they hold the uncompressed model, and a loader may prefer
 * them to our safetensors), what an earlier run wrote about its own output (report.json, report.html,
 * evaluation*.json, _MANIFEST.json, _SUCCESS, *.parts.arrow), hidden and underscore names (.crc checksums,
 * .gitattributes, _staging), temporaries, subfolders (original/ holds Meta's original checkpoint; the output is one
 * flat folder) and any other file, since nothing says the model needs it.</li>
 * </ul>
 * A caller may name globs to keep ({@code *.onnx} "unless asked"); they copy a left-out file, never a rewritten one.
 */
public final class OutputFiles {
    public enum Action { COPY, REWRITE, LEAVE_OUT }

    /** One entry of the input folder and what happens to it. */
    public static final class Decision {
        public final String name;
        public final boolean directory;
        public final Action action;
        /** Why it is left out or rewritten; null when copied. */
        public final String reason;

        Decision(String name, boolean directory, Action action, String reason) {
            this.name = name;
            this.directory = directory;
            this.action = action;
            this.reason = reason;
        }

        @Override
        public String toString() {
            return name + (directory ? "/" : "") + ": " + action + (reason == null ? "" : " (" + reason + ")");
        }
    }

    static final Set<String> MODEL_FILES = Set.of("generation_config.json", "tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "added_tokens.json", "vocab.txt", "vocab.json", "merges.txt", "tokenizer.model",
            "spiece.model", "sentencepiece.bpe.model", "chat_template.json", "chat_template.jinja",
            "preprocessor_config.json", "processor_config.json", "modules.json", "config_sentence_transformers.json",
            "sentence_bert_config.json", "USE_POLICY.md");
    static final Set<String> FOREIGN_WEIGHTS = Set.of("bin", "pt", "pth", "ckpt", "gguf", "onnx", "onnx_data", "h5",
            "msgpack", "tflite", "ot", "npz", "pkl", "mlmodel", "keras");
    static final Set<String> EARLIER_RUN = Set.of("report.json", "report.html", "_MANIFEST.json", "_SUCCESS");

    private final List<PathMatcher> keep = new ArrayList<>();

    /** keepGlobs: file-name globs (*.onnx) copied even though the rules leave them out. */
    public OutputFiles(List<String> keepGlobs) {
        for (String g : checkGlobs(keepGlobs)) keep.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
    }

    /**
     * The globs as given, or IllegalArgumentException naming the first that is empty, holds a '/' (entries are
     * matched by file name only) or is not a glob.
     */
    public static List<String> checkGlobs(List<String> globs) {
        for (String g : globs) {
            if (g == null || g.isBlank()) {
                throw new IllegalArgumentException("--keep-file: an empty glob; give a file-name pattern such as *.onnx");
            }
            if (g.contains("/")) {
                throw new IllegalArgumentException("--keep-file " + g + ": a file-name glob cannot hold '/' (only the "
                        + "input folder's own files are kept; subfolders are never copied)");
            }
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + g);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new IllegalArgumentException("--keep-file " + g + ": not a glob (" + e.getDescription() + ")", e);
            }
        }
        return List.copyOf(globs);
    }

    /** The decision for every entry of the folder, in name order. */
    public List<Decision> decideAll(FileSystem fs, Path root) throws IOException {
        List<Decision> out = new ArrayList<>();
        for (FileStatus st : fs.listStatus(root)) out.add(decide(st.getPath().getName(), st.isDirectory()));
        out.sort((a, b) -> a.name.compareTo(b.name));
        return out;
    }

    public Decision decide(String name, boolean directory) {
        if (directory) {
            return leaveOut(name, true, name.equals("original")
                    ? "the base model's original checkpoint (consolidated.*.pth): weights in another format"
                    : "a subfolder: an output is one flat folder of the model's files");
        }
        String rewritten = rewritten(name);
        if (rewritten != null) return new Decision(name, false, Action.REWRITE, rewritten);
        if (MODEL_FILES.contains(name) || isLicence(name) || name.endsWith(".py") || name.endsWith(".tiktoken")) {
            return new Decision(name, false, Action.COPY, null);
        }
        String why = leftOutReason(name);
        for (PathMatcher m : keep) {
            if (m.matches(Paths.get(name))) return new Decision(name, false, Action.COPY, null);
        }
        return leaveOut(name, false, why);
    }

    private static String rewritten(String name) {
        if (name.equals(ModelDirectory.CONFIG_FILE)) return "written anew from the input's";
        if (name.endsWith(".safetensors") || name.equals(ShardLayout.INDEX_FILE)) return "the weights: written by the run";
        if (name.equals("README.md")) return "replaced by the output's model card (the base's licence is carried over)";
        if (name.equals("nowag_provenance.json")) return "the history: copied with the new step appended";
        if (name.equals("recipe.yaml")) return "the recipe of the run that made the input; a recipe run writes its own";
        return null;
    }

    private static String leftOutReason(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (name.endsWith(".crc")) return "a Hadoop checksum file, not part of the model";
        if (name.startsWith(".")) return "a hidden file";
        if (name.contains(".tmp-")) return "a temporary file of an interrupted write";
        if (EARLIER_RUN.contains(name) || name.endsWith(".parts.arrow")) {
            return "written by an earlier run about its own output; this run writes its own";
        }
        if (lower.startsWith("evaluation") && lower.endsWith(".json")) {
            return "an evaluation of the input model, not of this output";
        }
        if (name.startsWith("_")) return "a job marker or staging name";
        String stem = lower.endsWith(".index.json") ? lower.substring(0, lower.length() - ".index.json".length()) : lower;
        int dot = stem.lastIndexOf('.');
        String ext = dot < 0 ? "" : stem.substring(dot + 1);
        if (FOREIGN_WEIGHTS.contains(ext)) {
            return lower.endsWith(".index.json") ? "the index of weights in another format"
                    : "weights in another format: they hold the uncompressed model and a loader may prefer them";
        }
        return "not a file a model folder is known to need";
    }

    private static boolean isLicence(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.startsWith("LICENSE") || upper.startsWith("LICENCE") || upper.startsWith("NOTICE");
    }

    private static Decision leaveOut(String name, boolean directory, String reason) {
        return new Decision(name, directory, Action.LEAVE_OUT, reason);
    }

    /** The files to copy. */
    public static List<String> copies(List<Decision> decisions) {
        return decisions.stream().filter(d -> d.action == Action.COPY).map(d -> d.name).toList();
    }

    /** "NAME: reason" of every entry left out, for the report. */
    public static List<String> leftOut(List<Decision> decisions) {
        return decisions.stream().filter(d -> d.action == Action.LEAVE_OUT)
                .map(d -> d.name + (d.directory ? "/" : "") + ": " + d.reason).toList();
    }
}
