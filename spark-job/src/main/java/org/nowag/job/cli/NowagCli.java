package org.nowag.job.cli;

import org.nowag.job.api.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `nowag`: a thin command line over the Java API. Exit codes: 0 success, 1 failure, 2 bad usage. */
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
                CommandLine.HelpCommand.class})
public final class NowagCli {
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
        cli.setParameterExceptionHandler(NowagCli::badUsage);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("nowag: error: " + message(e));
            if (Boolean.getBoolean("nowag.debug")) e.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cli.execute(args);
    }

    /** Bad usage: the problem, typo suggestions, and where the options are, instead of the whole usage text. */
    static int badUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        java.io.PrintWriter err = cmd.getErr();
        err.println("nowag: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        String name = cmd.getCommandSpec().qualifiedName();
        err.println("Run '" + name + " --help' for the options and examples"
                + (cmd.getParent() == null ? ", and 'nowag <command> --help' for a command's." : "."));
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
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
