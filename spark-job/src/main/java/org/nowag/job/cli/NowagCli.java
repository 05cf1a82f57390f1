package org.nowag.job.cli;

import org.nowag.job.api.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `nowag`: a thin command line over the Java API. Exit codes: 0 success, 1 failure, 2 bad usage. */
@Command(name = "nowag", mixinStandardHelpOptions = true, version = "nowag-spark " + Version.VERSION,
        description = "Shape-preserving compression of LLMs (safetensors, Hugging Face layout) on Apache Spark.",
        subcommands = {CompressCommand.class, InspectCommand.class, DemoCommand.class, ImportMiniLmCommand.class,
                BenchCommand.class, ScaleProofCommand.class, CalibrateCommand.class, EvaluateCommand.class,
                CommandLine.HelpCommand.class})
public final class NowagCli {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests and notebooks call this without exiting the JVM). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new NowagCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("nowag: error: " + message(e));
            if (Boolean.getBoolean("nowag.debug")) e.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cli.execute(args);
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
