package org.nowag.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.plan.BudgetSpec;
import org.nowag.job.plan.Recipe;
import org.nowag.kernels.prune.SparsityPattern;

/** The recipe grammar: what it accepts, and that every mistake is one line naming the file, the rule and the key. */
class RecipeFileTest {
    static final String GOOD = """
            # attention by NoWag-VQ, MLPs by ARMOR, the rest 60% NoWag-P; the first and last layer untouched
            rules:
              - match: 'model\\.layers\\.(0|31)\\..*'
                method: skip
              - match: '.*self_attn\\.(q|k|v|o)_proj\\.weight'
                method: nowag-vq
                vq-dim: 4
                vq-bits: 2
                vq-iters: 20
              - match: '.*mlp\\..*_proj\\.weight'
                method: armor
                armor-iters: 3
              - match: '.*\\.weight'
                method: nowag-p
                sparsity: 0.6
                group: row
            """;

    @Test
    void aGoodRecipeBecomesItsRulesInOrderWithTheCommandLinesSettings() {
        Recipe r = RecipeFile.parse("r.yaml", GOOD);
        assertEquals(4, r.rules().size());
        assertNull(r.rules().get(0).method, "skip leaves the tensor unchanged");
        assertEquals("skip", r.rules().get(0).methodName());
        assertEquals(CompressionMethod.NOWAG_VQ.plugin(), r.rules().get(1).method);
        assertEquals(4, r.rules().get(1).settings.vq().dim);
        assertEquals(1 << 8, r.rules().get(1).settings.vq().codebookSize, "K = 2^(bits * d)");
        assertEquals(20, r.rules().get(1).settings.vq().maxIterations);
        assertEquals(3, r.rules().get(2).settings.armor().iterations());
        assertEquals(SparsityPattern.unstructured(0.6, SparsityPattern.Group.ROW), r.rules().get(3).settings.pattern());
        assertEquals(GOOD, r.text(), "the text is kept as written, for the output's copy");
        assertNull(r.budget());
        String json = r.toJson().toString();
        assertTrue(json.contains("\"method\":\"skip\""), json);
        assertTrue(json.contains("\"vq-dim\":4"), json);
        assertFalse(json.contains("#"), "normalised: no comments");
    }

    @Test
    void aBitBudgetAllocatesTheNoWagVqRulesThatGiveNoVqBits() {
        Recipe r = RecipeFile.parse("r.yaml", """
                rules:
                  - match: '.*self_attn\\..*'
                    method: nowag-vq
                    vq-dim: 2
                    vq-bits: 3
                  - match: '.*mlp\\..*'
                    method: nowag-vq
                    vq-dim: 2
                    vq-iters: 20
                  - match: '.*'
                    method: nowag-p
                budget:
                  bits: 2.5
                  max: 4
                """);
        assertEquals(BudgetSpec.Kind.BITS, r.budget().kind);
        assertEquals(2.5, r.budget().target);
        assertEquals(4.0, r.budget().max);
        assertEquals(0.0, r.budget().min);
        assertFalse(org.nowag.job.budget.BudgetPlanner.allocates(r.rules().get(0), BudgetSpec.Kind.BITS), "its own vq-bits");
        assertTrue(org.nowag.job.budget.BudgetPlanner.allocates(r.rules().get(1), BudgetSpec.Kind.BITS));
        assertFalse(org.nowag.job.budget.BudgetPlanner.allocates(r.rules().get(2), BudgetSpec.Kind.BITS), "pruning");
        assertFalse(org.nowag.job.budget.BudgetPlanner.allocates(r.rules().get(1), BudgetSpec.Kind.SPARSITY));
    }

    @Test
    void theNormalisedFormIgnoresLayoutAndCommentsButNotSettings() {
        Recipe a = RecipeFile.parse("a.yaml", GOOD);
        Recipe b = RecipeFile.parse("b.yaml", GOOD.replace("# attention", "# ATTENTION").replace("    method: skip",
                "    method: skip   # first and last"));
        assertEquals(a.fingerprintText(), b.fingerprintText());
        Recipe c = RecipeFile.parse("c.yaml", GOOD.replace("vq-iters: 20", "vq-iters: 21"));
        assertFalse(a.fingerprintText().equals(c.fingerprintText()));
    }

    @Test
    void aBudgetEntryIsReadWithItsDefaults() {
        Recipe r = RecipeFile.parse("r.yaml", "rules:\n  - match: '.*'\n    method: nowag-p\nbudget:\n  sparsity: 0.6\n");
        BudgetSpec b = r.budget();
        assertEquals(BudgetSpec.Kind.SPARSITY, b.kind);
        assertEquals(0.6, b.target);
        assertEquals(0.2, b.min);
        assertEquals(0.9, b.max);
        assertEquals(BudgetSpec.Rule.ALLOCATE, b.rule);
        BudgetSpec owl = RecipeFile.parse("r.yaml", "rules:\n  - match: '.*'\n    method: wanda\nbudget:\n  sparsity: 0.7\n"
                + "  min: 0.5\n  max: 0.8\n  rule: owl\n").budget();
        assertEquals(0.5, owl.min);
        assertEquals(BudgetSpec.Rule.OWL, owl.rule);
    }

    @Test
    void everyMistakeIsOneLineNamingTheFileTheRuleAndTheKey() {
        refused("rules:\n  - match: '.*'\n    method: nowag-p\n    sparsty: 0.5\n",
                "recipe bad.yaml: rule 1 (line 2), key 'sparsty' (line 4): unknown (did you mean 'sparsity'?)");
        refused("rules:\n  - match: '.*'\n    method: gptq\n",
                "rule 1 (line 2), key 'method': unknown method 'gptq'; choose nowag-p, wanda");
        refused("rules:\n  - match: '.*'\n    method: skip\n  - match: '(unclosed'\n    method: wanda\n",
                "rule 2 (line 4), key 'match': regex '(unclosed' does not compile");
        refused("rules:\n  - match: '.*'\n    method: nowag-vq\n    sparsity: 0.5\n",
                "rule 1 (line 2), key 'sparsity': nowag-vq takes only vq-dim, vq-bits");
        refused("rules:\n  - match: '.*'\n    method: skip\n    sparsity: 0.5\n", "key 'sparsity': skip takes no settings");
        refused("rules:\n  - match: '.*'\n    method: wanda\n    pattern: 2:4\n    sparsity: 0.5\n",
                "rule 1 (line 2): keys 'sparsity' and 'pattern': give either sparsity (unstructured) or pattern N:M, not both");
        refused("rules:\n  - match: '.*'\n    method: armor\n    pattern: 4:8\n", "rule 1 (line 2): key 'pattern': armor is 2:4 only");
        refused("rules:\n  - match: '.*'\n    method: nowag-vq\n    vq-bits: two\n",
                "rule 1 (line 2), key 'vq-bits': expected a whole number, got 'two'");
        refused("rules:\n  - match: '.*'\n    method: wanda\n    sparsity: 1.5\n", "rule 1 (line 2)");
        refused("rules:\n  - match: '.*'\n    method: wanda\n    method: magnitude\n", "key 'method' (line 4): given twice");
        refused("rules:\n  - method: wanda\n", "rule 1 (line 2): no 'match'");
        refused("rules:\n  - match: '.*'\n", "rule 1 (line 2): no 'method'");
        refused("rule:\n  - match: '.*'\n", "top level, key 'rule' (line 1): unknown (did you mean 'rules'?)");
        refused("rules: []\n", "key 'rules': must be a list of rules");
        refused("", "empty");
        refused("rules:\n  - match: '.*'\n    method: [wanda]\n", "key 'method': expected a single value, got a list");
        refused("rules:\n  - match: '.*\n", "line 3: not valid YAML: while scanning a quoted scalar (line 2): found unexpected end of stream");
        refused("rules:\n  - match: '.*'\n    method: wanda\nbudget:\n  sparsity: 0.6\n  bits: 2\n",
                "budget (line 5): give exactly one of 'sparsity'");
        refused("rules:\n  - match: '.*'\n    method: wanda\nbudget:\n  sparsity: 0.95\n",
                "budget (line 5): key 'sparsity' 0.95 lies outside [key 'min', key 'max']");
        refused("rules:\n  - match: '.*'\n    method: wanda\nbudget:\n  sparsity: 0.6\n  rule: best\n",
                "budget (line 5): key 'rule' 'best': choose allocate, owl or uniform");
        refused("version: 2\nrules:\n  - match: '.*'\n    method: wanda\n", "key 'version': only version 1 exists");
    }

    private static void refused(String yaml, String expected) {
        RecipeFile.RecipeException e = assertThrows(RecipeFile.RecipeException.class, () -> RecipeFile.parse("bad.yaml", yaml));
        assertTrue(e.getMessage().startsWith("recipe bad.yaml: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
