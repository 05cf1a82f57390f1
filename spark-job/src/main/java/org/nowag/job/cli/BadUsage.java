package org.nowag.job.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;

/**
 * How the CLI answers bad usage (exit 2): the problem, a suggestion per misspelled option, and where the options
 * are, instead of the whole usage text.
 */
final class BadUsage {
    private BadUsage() {}

    /**
     * Bad usage: the problem, typo suggestions, and where the options are, instead of the whole usage text. A
     * misspelled required option is reported as unknown, with its suggestion, not only as the required one missing
     * (picocli reports the missing option first and drops the unknown one).
     */
    static int report(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        // The misspelled options only, not the values that followed them; each with its own suggestion.
        List<String> unknown = unknownOptions(cmd, args);
        if (!unknown.isEmpty() && cmd.getSubcommands().isEmpty()) {
            String list = String.join(", ", unknown.stream().map(u -> "'" + u + "'").toList());
            String also = e instanceof CommandLine.UnmatchedArgumentException ? "" : "; " + lowerFirst(e.getMessage());
            err.println("nowag: Unknown option" + (unknown.size() > 1 ? "s" : "") + ": " + list + also);
            for (String u : unknown) {
                List<String> close = new CommandLine.UnmatchedArgumentException(cmd, List.of(u)).getSuggestions();
                if (close.isEmpty()) close = nearOptions(cmd, u);
                if (!close.isEmpty()) err.println("Did you mean " + String.join(" or ", close) + " (for '" + u + "')?");
            }
        } else {
            err.println("nowag: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        }
        String name = cmd.getCommandSpec().qualifiedName();
        err.println("Run '" + name + " --help' for the options and examples"
                + (cmd.getParent() == null ? ", and 'nowag <command> --help' for a command's." : "."));
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * The misspelled options of a command line: what picocli left unmatched, and "--words" it took as values of an
     * option with several (picocli lets `--text a --otu b` give --text three values, then misses --out).
     */
    static List<String> unknownOptions(CommandLine cmd, String[] args) {
        LinkedHashSet<String> unknown = new LinkedHashSet<>();
        Set<String> known = cmd.getCommandSpec().optionsMap().keySet();
        int start = Arrays.asList(args).indexOf(cmd.getCommandName()) + 1;
        for (int i = start; i < args.length; i++) {
            String name = args[i].contains("=") ? args[i].substring(0, args[i].indexOf('=')) : args[i];
            if (name.equals("--")) break;
            if (name.startsWith("--") && !known.contains(name)) unknown.add(name);  // never a value: it may be a secret
        }
        for (String a : cmd.getUnmatchedArguments()) {
            if (a.startsWith("-")) unknown.add(a.contains("=") ? a.substring(0, a.indexOf('=')) : a);
        }
        return new ArrayList<>(unknown);
    }

    /** Options within two edits of a misspelling (picocli's own suggestions miss short ones: --txt for --text). */
    static List<String> nearOptions(CommandLine cmd, String typo) {
        String word = typo.contains("=") ? typo.substring(0, typo.indexOf('=')) : typo;
        List<String> near = new ArrayList<>();
        for (CommandLine.Model.OptionSpec o : cmd.getCommandSpec().options()) {
            for (String name : o.names()) {
                if (name.startsWith("--") && editDistance(word, name) <= 2 && !near.contains(name)) near.add(name);
            }
        }
        return near;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String lowerFirst(String s) {
        return s == null || s.isEmpty() ? "" : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

}
