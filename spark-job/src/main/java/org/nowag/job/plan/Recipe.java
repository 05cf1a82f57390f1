package org.nowag.job.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.method.MethodPlugin;

/**
 * Which method, with which settings, each tensor of a model gets: an ordered list of rules, the first whose regex
 * matches a tensor's whole name decides (a rule without a method leaves the tensor unchanged). Only 2-D float
 * tensors are ever compressed. The command line is a recipe of one rule (--include, --method and its options).
 */
public final class Recipe {
    /** One rule: tensors whose name matches get method (null: left unchanged) with these settings. */
    public static final class Rule {
        public final Pattern match;
        public final MethodPlugin method;
        public final CompressOptions settings;

        public Rule(String regex, MethodPlugin method, CompressOptions settings) {
            this.match = Pattern.compile(regex);
            this.method = method;
            this.settings = settings;
        }
    }

    private final List<Rule> rules;

    public Recipe(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The command line's recipe: one rule, --include -> --method with the run's own options. */
    public static Recipe of(CompressOptions opts) {
        List<Rule> rules = new ArrayList<>();
        rules.add(new Rule(opts.include(), opts.method().plugin(), opts));
        return new Recipe(rules);
    }

    public List<Rule> rules() { return rules; }

    /** The rule that decides t, or null when no rule selects it (it is copied unchanged). */
    public Rule ruleFor(TensorInfo t) {
        if (t.shape().length != 2 || !t.dtype().isFloatConvertible()) return null;
        for (Rule r : rules) {
            if (r.match.matcher(t.name()).matches()) return r;
        }
        return null;
    }
}
