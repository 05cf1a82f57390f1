package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.job.cli.NowagCli;
import picocli.CommandLine;

/**
 * Bad usage, whatever the command: exit 2, the option named, a suggestion for a misspelled option (a required one
 * too, which picocli alone reports only as missing), nothing written.
 */
class UsageErrorsTest {
    static Path model;
    static String text;

    @TempDir Path tmp;

    @BeforeAll
    static void setUp() throws IOException {
        model = Fixtures.miniLm();
        text = Corpora.sotu(1990, 1990).get(0).toString();
    }

    /** "--model" -> "--modle": the last two letters swapped. */
    static String misspell(String option) {
        int n = option.length();
        return option.substring(0, n - 2) + option.charAt(n - 1) + option.charAt(n - 2);
    }

    @Test
    void aMisspelledRequiredOptionOfEveryCommandGetsItsSuggestion() {
        CommandLine top = new CommandLine(new NowagCli());
        int checked = 0;
        for (CommandLine sub : top.getSubcommands().values()) {
            List<CommandLine.Model.OptionSpec> required = sub.getCommandSpec().requiredArgs().stream()
                    .filter(a -> a instanceof CommandLine.Model.OptionSpec).map(a -> (CommandLine.Model.OptionSpec) a).toList();
            for (CommandLine.Model.OptionSpec typo : required) {
                List<String> args = new ArrayList<>(List.of(sub.getCommandName()));
                for (CommandLine.Model.OptionSpec o : required) {
                    args.add(o == typo ? misspell(o.longestName()) : o.longestName());
                    args.add(tmp.resolve("x").toString());
                }
                CliAndCalibrationTest.Run run = CliAndCalibrationTest.cli(args.toArray(new String[0]));
                String what = String.join(" ", args) + "\n" + run.err;
                assertEquals(2, run.code, what);
                assertTrue(run.err.contains("Unknown option: '" + misspell(typo.longestName()) + "'"), what);
                assertTrue(run.err.contains("Did you mean " + typo.longestName()), what);
                assertTrue(run.err.contains("Run 'nowag " + sub.getCommandName() + " --help'"), what);
                assertFalse(run.err.contains(tmp.resolve("x").toString() + "'"), "values are not options: " + what);
                checked++;
            }
        }
        assertTrue(checked >= 8, "compress, decompress, evaluate, inspect, calibrate, import-minilm have required options: " + checked);
    }

    @Test
    void everyUsageErrorExitsTwoBeforeAnythingIsWritten() {
        String m = model.toString();
        String out = tmp.resolve("out").toString();
        String[][] cases = {
                {"compress", "--model", m, "--out", out, "--sparsity", "half"},
                {"compress", "--model", m, "--out", out, "--method", "gptq"},
                {"compress", "--model", m, "--out", out, "--pattern", "2:4", "--sparsity", "0.5"},
                {"compress", "--model", m, "--out", out, "--conf", "fs.s3a.endpoint=http://x"},
                {"compress", "--model", m, "--out", out, "--conf", "spark.hadoop.fs.s3a.endpoint"},
                {"compress", "--model", m, "--out", out, "--block-mb", "0"},
                {"inspect", "--model", m, "--block-mb", "-1"},
                {"calibrate", "--model", m, "--text", text, "--out", out, "--samples", "0"},
                {"calibrate", "--imatrix", text, "--text", text, "--out", out},
                {"evaluate", "--model", m, "--compare", m, "--text", text, "--out", out, "--top-k", "0"},
                {"decompress", "--model", m, "--out", out, "--shard-mb", "0"},
                {"import-minilm"},
                {"compress", "--model", m, "--out", out, "--txt", text},
        };
        for (String[] c : cases) {
            CliAndCalibrationTest.Run run = CliAndCalibrationTest.cli(c);
            String what = String.join(" ", c) + "\n" + run.err;
            assertEquals(2, run.code, what);
            assertTrue(run.err.contains("Run 'nowag " + c[0] + " --help'"), what);
            assertFalse(Refusals.hasStackTrace(run.err), what);
            assertFalse(Files.exists(tmp.resolve("out")), what);
        }
        // A --conf value may be a secret: a malformed one is named by its key only.
        CliAndCalibrationTest.Run secret = CliAndCalibrationTest.cli("inspect", "--model", m,
                "--conf", "fs.s3a.secret.key=do-not-print-me");
        assertEquals(2, secret.code);
        assertTrue(secret.err.contains("--conf fs.s3a.secret.key=...") && !secret.err.contains("do-not-print-me"), secret.err);
    }
}
