package org.nowag.job.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.job.api.BadOptionException;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.plan.BudgetSpec;
import org.nowag.job.plan.Recipe;
import org.nowag.kernels.prune.SparsityPattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads {@code compress --recipe FILE}: YAML with ordered rules (regex over tensor names -> a method and its
 * settings, or skip) and an optional budget, checked strictly before anything runs. Every problem is one line naming
 * the file, the rule (by number and line) and the key: unknown keys (with a suggestion), unknown methods, regexes that
 * do not compile, settings a method does not take, contradicting settings. A rule's keys are the command line's
 * options without "--" and take the same values; the grammar is in docs/recipes.md.
 */
public final class RecipeFile {
    /** A recipe is a few rules; anything larger is not one. */
    static final long MAX_BYTES = 1 << 20;

    private static final List<String> TOP_KEYS = List.of("version", "rules", "budget");
    private static final List<String> BUDGET_KEYS = List.of("sparsity", "bits", "min", "max", "rule");
    private static final List<String> PRUNE_KEYS = List.of("sparsity", "pattern", "group");
    private static final List<String> SPARSEGPT_KEYS = List.of("sparsity", "pattern");
    private static final List<String> VQ_KEYS = List.of("vq-dim", "vq-bits", "vq-iters", "vq-store", "vq-row-blocks", "seed");
    private static final List<String> ARMOR_KEYS = List.of("pattern", "armor-iters", "armor-block", "armor-store");
    private static final List<String> RTN_KEYS = List.of("rtn-bits", "rtn-group");

    private final String file;

    private RecipeFile(String file) {
        this.file = file;
    }

    /** Reads and checks the recipe at uri (any Hadoop file system); problems name the file. */
    public static Recipe read(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = p.getFileSystem(conf);
        FileStatus st;
        try {
            st = fs.getFileStatus(p);
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException("--recipe " + uri + ": no such file");
        }
        if (st.isDirectory()) throw new IOException("--recipe " + uri + ": is a directory, not a YAML file");
        if (st.getLen() > MAX_BYTES) {
            throw new IOException("--recipe " + uri + ": " + st.getLen() + " bytes; a recipe is at most " + MAX_BYTES);
        }
        String text;
        try (InputStream in = fs.open(p)) {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(in.readAllBytes())).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("--recipe " + uri + ": not UTF-8 text (" + e + ")");
        }
        return parse(uri, text);
    }

    /** Parses and checks recipe text; file names it in messages. */
    public static Recipe parse(String file, String text) {
        return new RecipeFile(file).parse(text);
    }

    private Recipe parse(String text) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(20);
            options.setAllowRecursiveKeys(false);
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String context = e.getContext() == null ? "" : e.getContext()
                    + (e.getContextMark() == null ? "" : " (line " + (e.getContextMark().getLine() + 1) + ")") + ": ";
            throw bad((m == null ? "" : "line " + (m.getLine() + 1) + ": ") + "not valid YAML: " + context + e.getProblem());
        } catch (YAMLException e) {
            throw bad("not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null) throw bad("empty; a recipe needs 'rules:' with at least one rule (docs/recipes.md)");
        Map<String, Node> top = mapping(root, "top level", TOP_KEYS);
        Node version = top.get("version");
        if (version != null && !scalar(version, "line " + line(version) + ", key 'version'").equals("1")) {
            throw bad("line " + line(version) + ", key 'version': only version 1 exists");
        }
        Node rulesNode = top.get("rules");
        if (rulesNode == null) throw bad("no 'rules:'; a recipe needs at least one rule (docs/recipes.md)");
        if (!(rulesNode instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            throw bad("line " + line(rulesNode) + ", key 'rules': must be a list of rules ('- match: REGEX' lines), "
                    + "with at least one");
        }
        List<Recipe.Rule> rules = new ArrayList<>();
        for (Node n : seq.getValue()) rules.add(rule(rules.size() + 1, n));
        BudgetSpec budget = top.containsKey("budget") ? budget(top.get("budget")) : null;
        return new Recipe(rules, file, text, budget, Map.of());
    }

    private Recipe.Rule rule(int number, Node node) {
        String where = "rule " + number + " (line " + line(node) + ")";
        List<String> all = new ArrayList<>(List.of("match", "method"));
        for (List<String> keys : List.of(PRUNE_KEYS, VQ_KEYS, ARMOR_KEYS, RTN_KEYS)) {
            for (String k : keys) if (!all.contains(k)) all.add(k);
        }
        Map<String, Node> keys = mapping(node, where, all);
        Node matchNode = keys.get("match");
        if (matchNode == null) throw bad(where + ": no 'match' (a regex over tensor names, matched in full)");
        String regex = scalar(matchNode, where + ", key 'match'");
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw bad(where + ", key 'match': regex '" + regex + "' does not compile: "
                    + e.getDescription() + " near index " + e.getIndex());
        }
        Node methodNode = keys.get("method");
        if (methodNode == null) throw bad(where + ": no 'method' (" + methodNames() + ", or skip)");
        String methodText = scalar(methodNode, where + ", key 'method'");
        CompressionMethod method = null;
        if (!methodText.trim().equalsIgnoreCase("skip")) {
            try {
                method = CompressionMethod.parse(methodText);
            } catch (IllegalArgumentException e) {
                throw bad(where + ", key 'method': unknown method '" + methodText + "'; choose " + methodNames() + ", or skip");
            }
        }
        List<String> allowed = allowedKeys(method);
        Map<String, Object> given = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : keys.entrySet()) {
            String k = e.getKey();
            if (k.equals("match") || k.equals("method")) continue;
            if (!allowed.contains(k)) {
                String name = method == null ? "skip" : method.cliName();
                throw bad(where + ", key '" + k + "': " + name + " takes "
                        + (allowed.isEmpty() ? "no settings" : "only " + String.join(", ", allowed)));
            }
            given.put(k, value(k, e.getValue(), where + ", key '" + k + "'"));
        }
        CompressOptions settings = method == null ? null : settings(method, given, where);
        return new Recipe.Rule(number, regex, method == null ? null : method.plugin(), settings, given);
    }

    /** The rule's settings as CompressOptions, through the command line's own checks (same defaults, same limits). */
    private CompressOptions settings(CompressionMethod m, Map<String, Object> g, String where) {
        CompressOptions o = new CompressOptions().method(m);
        try {
            if (m == CompressionMethod.NOWAG_VQ) {
                o.vq(VqOptions.config(intOr(g, "vq-dim", 6), intOr(g, "vq-bits", 2), intOr(g, "vq-iters", 100),
                        g.containsKey("seed") ? (Long) g.get("seed") : 0L, (String) g.getOrDefault("vq-store", "f16")));
                o.vqRowBlocks(Boolean.TRUE.equals(g.get("vq-row-blocks")));
            } else if (m == CompressionMethod.ARMOR) {
                String pattern = (String) g.get("pattern");
                if (pattern != null && !pattern.trim().equals("2:4")) {
                    throw new IllegalArgumentException("key 'pattern': armor is 2:4 only");
                }
                o.armor(ArmorOptions.config(null, null, null, intOr(g, "armor-block", 32), intOr(g, "armor-iters", 10),
                        (String) g.getOrDefault("armor-store", "f16")));
                o.pattern(SparsityPattern.nOfM(2, 4));
            } else if (m == CompressionMethod.RTN) {
                o.rtn(RtnOptions.config(intOr(g, "rtn-bits", 4), intOr(g, "rtn-group", 128)));
            } else if (m != CompressionMethod.COPY) {
                if (g.containsKey("sparsity") && g.containsKey("pattern")) {
                    throw new IllegalArgumentException("keys 'sparsity' and 'pattern': give either sparsity (unstructured) "
                            + "or pattern N:M, not both");
                }
                if (g.containsKey("pattern") && g.containsKey("group")) {
                    throw new IllegalArgumentException("key 'group': applies to sparsity, not to an N:M pattern");
                }
                o.pattern(PatternOptions.pattern(m, (Double) g.get("sparsity"), (String) g.get("pattern"),
                        (String) g.get("group")));
                double p = o.pattern().sparsity();
                if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("key 'sparsity': " + p + " is outside [0, 1)");
            }
        } catch (IllegalArgumentException e) {
            throw bad(where + ": " + e.getMessage().replace("--", ""));
        }
        return o;
    }

    private BudgetSpec budget(Node node) {
        String where = "budget (line " + line(node) + ")";
        Map<String, Node> keys = mapping(node, where, BUDGET_KEYS);
        Map<String, Object> v = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : keys.entrySet()) {
            String k = e.getKey();
            String at = where + ", key '" + k + "'";
            v.put(k, k.equals("rule") ? scalar(e.getValue(), at) : number(scalar(e.getValue(), at), at));
        }
        if (v.containsKey("sparsity") == v.containsKey("bits")) {
            throw bad(where + ": give exactly one of 'sparsity' (overall, pruning methods) and 'bits' (average per weight, nowag-vq)");
        }
        BudgetSpec.Kind kind = v.containsKey("sparsity") ? BudgetSpec.Kind.SPARSITY : BudgetSpec.Kind.BITS;
        String targetKey = kind == BudgetSpec.Kind.SPARSITY ? "sparsity" : "bits";
        try {
            BudgetSpec.Rule rule = v.containsKey("rule") ? BudgetSpec.Rule.parse((String) v.get("rule"), "key 'rule'") : null;
            return new BudgetSpec(kind, (Double) v.get(targetKey), (Double) v.get("min"), (Double) v.get("max"), rule)
                    .check("key '" + targetKey + "'", "key 'min'", "key 'max'");
        } catch (IllegalArgumentException e) {
            throw bad(where + ": " + e.getMessage());
        }
    }

    private static List<String> allowedKeys(CompressionMethod m) {
        if (m == null || m == CompressionMethod.COPY) return List.of();
        return switch (m) {
            case NOWAG_VQ -> VQ_KEYS;
            case ARMOR -> ARMOR_KEYS;
            case RTN -> RTN_KEYS;
            case SPARSEGPT -> SPARSEGPT_KEYS;
            default -> PRUNE_KEYS;
        };
    }

    /** A setting's value, typed as its command-line option. */
    private Object value(String key, Node node, String where) {
        String text = scalar(node, where);
        switch (key) {
            case "sparsity":
                return number(text, where);
            case "vq-dim": case "vq-bits": case "vq-iters": case "armor-iters": case "armor-block": case "rtn-bits": case "rtn-group":
                try {
                    return Integer.parseInt(text.trim());
                } catch (NumberFormatException e) {
                    throw bad(where + ": expected a whole number, got '" + text + "'");
                }
            case "seed":
                try {
                    return Long.parseLong(text.trim());
                } catch (NumberFormatException e) {
                    throw bad(where + ": expected a whole number, got '" + text + "'");
                }
            case "vq-row-blocks":
                if (text.equals("true")) return Boolean.TRUE;
                if (text.equals("false")) return Boolean.FALSE;
                throw bad(where + ": expected true or false, got '" + text + "'");
            default:
                return text;
        }
    }

    private Double number(String text, String where) {
        try {
            double d = Double.parseDouble(text.trim());
            if (!Double.isFinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw bad(where + ": expected a number, got '" + text + "'");
        }
    }

    private static int intOr(Map<String, Object> g, String key, int fallback) {
        Object v = g.get(key);
        return v == null ? fallback : (Integer) v;
    }

    /** A mapping's entries, refusing duplicate and unknown keys (with the nearest known key as a suggestion). */
    private Map<String, Node> mapping(Node node, String where, List<String> known) {
        if (!(node instanceof MappingNode map)) {
            throw bad(where + ": expected keys (KEY: VALUE lines), got " + kind(node));
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String key = scalar(t.getKeyNode(), where + ", line " + line(t.getKeyNode()) + ", a key");
            String at = where + ", key '" + key + "' (line " + line(t.getKeyNode()) + ")";
            if (!known.contains(key)) {
                String near = nearest(key, known);
                throw bad(at + ": unknown" + (near == null ? "" : " (did you mean '" + near + "'?)")
                        + "; known keys: " + String.join(", ", known));
            }
            if (out.put(key, t.getValueNode()) != null) throw bad(at + ": given twice");
        }
        return out;
    }

    private String scalar(Node node, String where) {
        if (!(node instanceof ScalarNode s) || s.getTag().equals(Tag.NULL)) {
            throw bad(where + ": expected a single value, got " + kind(node));
        }
        return s.getValue();
    }

    private static String kind(Node n) {
        if (n instanceof MappingNode) return "a mapping";
        if (n instanceof SequenceNode) return "a list";
        if (n instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) return "nothing";
        return "a value";
    }

    private static int line(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }

    private static String methodNames() {
        return Arrays.stream(CompressionMethod.values()).map(CompressionMethod::cliName).collect(Collectors.joining(", "));
    }

    /** The known key within two edits of key, if exactly one is nearest. */
    static String nearest(String key, List<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = EditDistance.between(key.toLowerCase(Locale.ROOT), k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    private RecipeException bad(String message) {
        return new RecipeException("recipe " + file + ": " + message);
    }

    /** A recipe that cannot be right whatever the model is: bad usage (exit 2), like a bad option value. */
    public static final class RecipeException extends BadOptionException {
        private static final long serialVersionUID = 1L;

        RecipeException(String message) {
            super(message);
        }
    }
}
