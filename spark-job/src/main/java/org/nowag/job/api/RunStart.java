package org.nowag.job.api;

import java.io.IOException;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;
import org.nowag.job.commit.OutputLayout;

/**
 * How every compress-like run starts on its output directory: done already (return the stored report), someone
 * else's (refuse), ours half-done (resume), or new (stage it, leaving nothing behind if even that fails).
 */
final class RunStart {
    private RunStart() {}

    /** The stored report when the output is already complete for this fingerprint; null when the run must go on. */
    static CompressionReport begin(OutputLayout out, OutputLayout.State state, String fingerprint, int parts,
                                   Consumer<String> log) throws IOException {
        Path outPath = out.root();
        switch (state) {
            case COMPLETE:
                log.accept("output " + outPath + " is already complete for these arguments; nothing to do");
                CompressionReport done = CompressionReport.fromJson(out.readText(out.report()));
                done.alreadyComplete = true;
                done.kernelTasksRun = 0;
                done.partsReused = parts;
                done.shardsWritten = 0;
                return done;
            case CONFLICT:
                throw new IllegalArgumentException("output directory " + outPath + " is not empty and holds no run "
                        + "with these arguments; choose another --out or remove it");
            case RESUME:
                log.accept("resuming the run staged in " + out.staging());
                return null;
            default:
                try {
                    out.begin(fingerprint);
                } catch (IOException | RuntimeException e) {
                    // Nothing of this run is committed yet: leave no half-made output directory behind.
                    try {
                        out.fs().delete(outPath, true);
                    } catch (IOException cleanup) {
                        e.addSuppressed(cleanup);
                    }
                    throw e;
                }
                return null;
        }
    }
}
