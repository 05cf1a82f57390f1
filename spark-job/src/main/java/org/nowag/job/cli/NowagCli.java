package org.nowag.job.cli;

import java.util.Arrays;
import org.nowag.job.api.BadOptionException;
import org.nowag.job.api.Version;
import org.nowag.tools.measure.BenchArmorCommand;
import org.nowag.tools.measure.BenchCommand;
import org.nowag.tools.measure.BenchVqCommand;
import org.nowag.tools.measure.MemCheckCommand;
import org.nowag.tools.measure.ScaleProofCommand;
import org.nowag.job.spark.CommandSettings;
import org.nowag.job.spark.SparkContexts;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * `nowag`: a thin command line over the Java API. Exit codes: 0 success; 1 failure (an input, the output or the run
 * failed: the message names the file and the problem); 2 bad usage (an unknown, missing or impossible option: the
 * message names the option). Errors are one line on stderr without a stack trace, unless --verbose is given.
 */
@Command(name = "nowag", mixinStandardHelpOptions = true, version = "nowag-spark " + Version.VERSION,
        description = "Shape-preserving compression of LLMs (safetensors, Hugging Face layout) on Apache Spark.",
        footer = {"", "Examples:",
                "  java -jar nowag-spark.jar demo",
                "  java -jar nowag-spark.jar inspect --model ./llama",
                "  java -jar nowag-spark.jar compress --model ./llama --out ./llama-p50 --sparsity 0.5",
                "  deploy/nowag-submit.sh --master yarn -- compress --model hdfs:///m/llama --out hdfs:///m/llama-24 --pattern 2:4",
                "Run 'nowag <command> --help' for a command's options and examples."},
        subcommands = {CompressCommand.class, InspectCommand.class, DemoCommand.class, ImportMiniLmCommand.class,
                BenchCommand.class, ScaleProofCommand.class, DecompressCommand.class, BenchVqCommand.class, BenchArmorCommand.class,
                CalibrateCommand.class, EvaluateCommand.class, MemCheckCommand.class, org.nowag.tools.train.TrainLlamaCommand.class,
                org.nowag.tools.study.StudyCommand.class, org.nowag.tools.measure.CompareEvalCommand.class,
                CommandLine.HelpCommand.class})
public final class NowagCli {
    /** Every command takes it (inherited): a stack trace with the error, and Spark's logs with theirs. */
    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "On an error, print the stack trace too (and keep Spark's own exception traces in its log lines).")
    boolean verbose;

    /** Every command takes it (inherited), as spark-submit does: one way to give S3 and other Hadoop settings. */
    @CommandLine.Option(names = "--conf", paramLabel = "KEY=VALUE", scope = CommandLine.ScopeType.INHERIT,
            description = "A Spark setting for this run; Hadoop settings take the spark.hadoop. prefix, e.g. "
                    + "--conf spark.hadoop.fs.s3a.endpoint=http://minio:9000 (repeatable; docs/storage.md).")
    java.util.List<String> conf = new java.util.ArrayList<>();

    public static void main(String[] args) {
        int code = run(args);
        // Databricks JAR jobs must not call System.exit (the cluster's JVM is shared): return, or fail by throwing.
        if (System.getenv("DATABRICKS_RUNTIME_VERSION") != null) {
            if (code != 0) throw new IllegalStateException("nowag exited with code " + code + "; see the message above");
            return;
        }
        System.exit(code);
    }

    /** Runs a command line and returns its exit code (tests and notebooks call this without exiting the JVM). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new NowagCli());
        // Examples are whole command lines: keep them on one line each.
        cli.setUsageHelpWidth(130);
        cli.setParameterExceptionHandler(BadUsage::report);
        // The command's --conf settings hold while it runs, for its pre-flight checks and its Spark context alike.
        cli.setExecutionStrategy(parseResult -> {
            CommandSettings.Scope settings;
            try {
                settings = CommandSettings.open(CommandSettings.parse(confs(parseResult)));
            } catch (BadOptionException e) {
                CommandLine.ParseResult last = parseResult;
                while (last.subcommand() != null) last = last.subcommand();
                throw new CommandLine.ParameterException(last.commandSpec().commandLine(), e.getMessage());
            }
            try (settings) {
                try {
                    return new CommandLine.RunLast().execute(parseResult);
                } catch (CommandLine.ExecutionException e) {
                    // Explained while the command's settings still hold: the advice names the values S3A used.
                    String explained = StorageErrors.explain(e.getCause(), message(e.getCause()),
                            SparkContexts.hadoopConfiguration());
                    if (explained == null) throw e;
                    throw new CommandLine.ExecutionException(e.getCommandLine(), explained,
                            new StorageErrors.Problem(explained, e.getCause()));
                }
            }
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            java.io.PrintWriter err = commandLine.getErr();
            boolean verbose = verbose(parseResult);
            int code;
            if (e instanceof BadOptionException) {
                // An option value that cannot be right: bad usage, reported like a misspelled option.
                err.println("nowag: " + e.getMessage());
                err.println("Run '" + commandLine.getCommandSpec().qualifiedName() + " --help' for the options and examples.");
                code = commandLine.getCommandSpec().exitCodeOnInvalidInput();
            } else {
                err.println("nowag: error: " + message(e));
                code = 1;
            }
            if (verbose) e.printStackTrace(err);
            return code;
        });
        boolean verbose = Arrays.asList(args).contains("--verbose") || Boolean.getBoolean("nowag.debug");
        Logging.configure(verbose);
        org.nowag.job.report.Invocation.begin(args);
        try {
            return cli.execute(args);
        } catch (RuntimeException | Error e) {
            // Whatever escapes picocli's handlers (an Error, a failure inside a handler): still one line and exit 1.
            System.err.println("nowag: error: " + message(e));
            if (verbose) e.printStackTrace();
            return 1;
        } finally {
            org.nowag.job.report.Invocation.end();
            Logging.configure(false);
        }
    }

    /** --verbose on the command line (of the top command or any subcommand), or the older -Dnowag.debug=true. */
    static boolean verbose(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) return true;
        }
        return Boolean.getBoolean("nowag.debug");
    }

    /** Every --conf KEY=VALUE on the command line, the top command's and the subcommand's, in order. */
    static java.util.List<String> confs(CommandLine.ParseResult parseResult) {
        java.util.List<String> all = new java.util.ArrayList<>();
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            CommandLine.Model.OptionSpec o = r.matchedOption("--conf");
            if (o != null) {
                java.util.List<String> values = o.getValue();
                for (String v : values) if (!all.contains(v)) all.add(v);
            }
        }
        return all;
    }

    static String message(Throwable e) {
        Throwable t = e;
        // Spark wraps task failures; the first cause with our message is the useful one.
        while (t.getCause() != null && (t.getMessage() == null || t instanceof org.apache.spark.SparkException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
