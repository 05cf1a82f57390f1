package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nowag.job.cli.NowagCli;
import picocli.CommandLine;

/** Every command explains itself with examples, and bad usage says what to do next. */
class CliHelpTest {
    /** Exit code, stdout, stderr of one in-process CLI run. */
    static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = NowagCli.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new String[]{String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    static List<String> commands() {
        List<String> names = new ArrayList<>(new CommandLine(new NowagCli()).getSubcommands().keySet());
        names.remove("help");
        return names;
    }

    @Test
    void everyCommandsHelpHasExamplesThatRunThatCommandAndNoFormattingWarnings() {
        List<String> names = commands();
        assertTrue(names.containsAll(List.of("compress", "inspect", "demo", "import-minilm", "bench")), names.toString());
        for (String name : names) {
            String[] r = run(name, "--help");
            assertEquals("0", r[0], name);
            assertTrue(r[1].contains("Example"), name + " --help has examples:\n" + r[1]);
            assertTrue(r[1].lines().anyMatch(l -> l.matches("\\s+(nowag|java -jar \\S*nowag-spark\\.jar) " + name + "\\b.*")),
                    name + " --help has an example line running it:\n" + r[1]);
            assertFalse(r[2].contains("picocli WARN"), name + ": " + r[2]);
            assertTrue(r[1].contains("--verbose"), name + " --help lists --verbose (stack traces on errors):\n" + r[1]);
        }
    }

    @Test
    void topLevelHelpListsTheCommandsAndExamples() {
        String[] r = run("--help");
        assertEquals("0", r[0]);
        for (String name : commands()) assertTrue(r[1].contains(name), name);
        assertTrue(r[1].contains("Examples:") && r[1].contains("nowag <command> --help"), r[1]);
    }

    @Test
    void misspelledCommandExitsTwoWithASuggestionAndWhereHelpIs() {
        String[] r = run("compres", "--model", "m");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("Did you mean: nowag compress"), r[2]);
        assertTrue(r[2].contains("Run 'nowag --help'"), r[2]);
    }

    @Test
    void missingOrMisspelledOptionExitsTwoNamingItAndTheCommandsHelp() {
        String[] missing = run("compress", "--model", "m");
        assertEquals("2", missing[0]);
        assertTrue(missing[2].contains("Missing required option: '--out=<out>'"), missing[2]);
        assertTrue(missing[2].contains("Run 'nowag compress --help' for the options and examples."), missing[2]);

        String[] typo = run("compress", "--model", "m", "--out", "o", "--sparsty", "0.3");
        assertEquals("2", typo[0]);
        assertTrue(typo[2].contains("--sparsity"), "suggests the right option: " + typo[2]);
    }
}
