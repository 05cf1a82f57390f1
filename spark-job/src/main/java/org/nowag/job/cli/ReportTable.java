package org.nowag.job.cli;

import java.io.PrintStream;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.TensorReport;

/** A compact table of a report for the terminal. */
final class ReportTable {
    private ReportTable() {}

    static void print(CompressionReport r, PrintStream out) {
        out.printf("%-56s %-14s %9s %12s %9s %8s%n", "tensor", "shape", "sparsity", "proxy loss", "relative", "seconds");
        for (TensorReport t : r.tensors) {
            out.printf("%-56s %-14s %9.4f %12.5g %9.4f %8.3f%n", t.name, t.shape[0] + "x" + t.shape[1], t.sparsity,
                    t.proxyLoss, t.proxyLossRelative, t.seconds);
        }
        out.printf("method %s, pattern %s, calibration: %s%n", r.method, r.pattern, r.calibration);
        out.printf("%d tensors compressed (overall sparsity %.4f), %d copied; %d kernel tasks run, %d parts reused%s%n",
                r.tensorsCompressed, r.overallSparsity, r.tensorsCopied, r.kernelTasksRun, r.partsReused,
                r.alreadyComplete ? " (output was already complete)" : "");
        out.printf("output: %s%n", r.output);
    }
}
