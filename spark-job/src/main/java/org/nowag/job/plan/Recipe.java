package org.nowag.job.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.method.MethodPlugin;

/**
 * Which method, with which settings, each tensor of a model gets: an ordered list of rules, the first whose regex
 * matches a tensor's whole name decides (a rule without a method, {@code skip}, leaves the tensor unchanged). Only
 * 2-D float tensors are ever compressed. The command line is a recipe of one rule (--include, --method and its
 * options); {@code compress --recipe FILE} reads one from YAML (docs/recipes.md). A budget (docs/budgets.md) may
 * then replace the settings of single tensors ({@link #withTensorSettings}).
 */
public final class Recipe {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One rule: tensors whose name matches get method (null: left unchanged) with these settings. */
    public static final class Rule {
        /** 1-based position in the recipe (error messages and report.json name rules by it). */
        public final int number;
        public final String regex;
        public final Pattern match;
        public final MethodPlugin method;
        public final CompressOptions settings;
        /** The settings as written (recipe keys -> values), for report.json and the fingerprint. */
        public final Map<String, Object> given;

        public Rule(int number, String regex, MethodPlugin method, CompressOptions settings, Map<String, Object> given) {
            this.number = number;
            this.regex = regex;
            this.match = Pattern.compile(regex);
            this.method = method;
            this.settings = settings;
            this.given = new LinkedHashMap<>(given);
        }

        public Rule(String regex, MethodPlugin method, CompressOptions settings) {
            this(1, regex, method, settings, Map.of());
        }

        /** The method's CLI name, or "skip". */
        public String methodName() { return method == null ? "skip" : method.name(); }
    }

    private final List<Rule> rules;
    /** Where the recipe came from: a file, or "command line". */
    private final String source;
    /** The file's text as written (null: the command line's recipe). */
    private final String text;
    private final BudgetSpec budget;
    /** Settings a budget chose for single tensors, in place of their rule's. */
    private final Map<String, CompressOptions> perTensor;

    public Recipe(List<Rule> rules) {
        this(rules, "command line", null, null, Map.of());
    }

    public Recipe(List<Rule> rules, String source, String text, BudgetSpec budget, Map<String, CompressOptions> perTensor) {
        this.rules = List.copyOf(rules);
        this.source = source;
        this.text = text;
        this.budget = budget;
        this.perTensor = Map.copyOf(perTensor);
    }

    /** The command line's recipe: one rule, --include -> --method with the run's own options. */
    public static Recipe of(CompressOptions opts) {
        return of(opts, null);
    }

    /** The command line's recipe with a budget (--budget-sparsity, --budget-bits), or none. */
    public static Recipe of(CompressOptions opts, BudgetSpec budget) {
        List<Rule> rules = new ArrayList<>();
        Map<String, Object> given = commandLineSettings(opts);
        if (budget != null && budget.kind == BudgetSpec.Kind.BITS && given.containsKey("vq")) {
            // the budget chooses each matrix's K; the command line's d, iterations, seed and storage stay
            given.put("vq", opts.vq().toString().replaceFirst(" K=\\d+", ""));
        }
        if (budget != null && given.containsKey("pattern")) {
            given.remove("pattern");  // the budget chooses each matrix's sparsity; only the group is the command line's
            given.put("group", opts.pattern().group().name().toLowerCase(java.util.Locale.ROOT));
        }
        rules.add(new Rule(1, opts.include(), opts.method().plugin(), opts, given));
        return new Recipe(rules, "command line", null, budget, Map.of());
    }

    /** What the command line set for its method, in the recipe keys' words. */
    private static Map<String, Object> commandLineSettings(CompressOptions opts) {
        Map<String, Object> m = new LinkedHashMap<>();
        CompressionMethod method = opts.method();
        if (method == CompressionMethod.NOWAG_VQ) {
            m.put("vq", opts.vq().toString());
            if (opts.vqRowBlocks()) m.put("vq-row-blocks", true);
        } else if (method == CompressionMethod.ARMOR) {
            m.put("armor", opts.armor().toString());
        } else if (method == CompressionMethod.RTN) {
            m.put("rtn", opts.rtn().toString());
        } else if (method != CompressionMethod.COPY) {
            m.put("pattern", opts.pattern().toString());
        }
        return m;
    }

    public List<Rule> rules() { return rules; }

    public String source() { return source; }

    /** The recipe file's text, or null for the command line's recipe. */
    public String text() { return text; }

    /** The budget, or null when every tensor takes its rule's settings. */
    public BudgetSpec budget() { return budget; }

    /** The same rules with this budget (a command-line budget for a recipe file that has none). */
    public Recipe withBudget(BudgetSpec b) {
        return new Recipe(rules, source, text, b, perTensor);
    }

    /** The same rules with these tensors' settings replaced (the budget's choice). */
    public Recipe withTensorSettings(Map<String, CompressOptions> settings) {
        return new Recipe(rules, source, text, budget, settings);
    }

    /** The settings tensor gets under rule: a budget's choice for it, else the rule's. */
    public CompressOptions settingsFor(Rule rule, String tensor) {
        CompressOptions own = perTensor.get(tensor);
        return own != null ? own : rule.settings;
    }

    /** Whether a budget chose this tensor's settings. */
    public boolean hasOwnSettings(String tensor) {
        return perTensor.containsKey(tensor);
    }

    /** The rule that decides t, or null when no rule selects it (it is copied unchanged). */
    public Rule ruleFor(TensorInfo t) {
        if (t.shape().length != 2 || !t.dtype().isFloatConvertible()) return null;
        for (Rule r : rules) {
            if (r.match.matcher(t.name()).matches()) return r;
        }
        return null;
    }

    /** The rules and the budget, normalised (no comments, no layout): report.json's "recipe" and the fingerprint's. */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode list = o.putArray("rules");
        for (Rule r : rules) {
            ObjectNode e = list.addObject();
            e.put("rule", r.number);
            e.put("match", r.regex);
            e.put("method", r.methodName());
            if (!r.given.isEmpty()) e.set("settings", JSON.valueToTree(r.given));
        }
        if (budget != null) o.set("budget", budget.toJson());
        return o;
    }

    /** The text that identifies the recipe in the run's fingerprint (where it came from does not count). */
    public String fingerprintText() {
        return toJson().toString();
    }
}
