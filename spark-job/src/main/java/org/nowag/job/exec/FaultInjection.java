package org.nowag.job.exec;

import java.io.IOException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.nowag.io.fs.AtomicFiles;

/**
 * Test-only faults, switched on by system properties (so they reach a child JVM too); all off unless set. They act
 * only on a task's first attempt, so Spark's retry is what the tests observe.
 * <ul>
 * <li>{@code nowag.fault.throwOnce=TENSOR}: the prune task of TENSOR throws before writing its part.</li>
 * <li>{@code nowag.fault.dieMidWrite=TENSOR}: the prune task of TENSOR opens its part exactly as the real write would
 * (a temp name on HDFS/local, the final object name on S3), writes half the bytes and stops without closing or
 * cleaning up, as an executor killed mid-write leaves it.</li>
 * <li>{@code nowag.fault.taskDelayMs=N}: every prune task sleeps N ms first (to kill a driver mid-job).</li>
 * </ul>
 */
public final class FaultInjection {
    private FaultInjection() {}

    static void beforeWrite(String tensor, FileSystem fs, Path part, byte[] encoded) throws IOException {
        long delay = Long.getLong("nowag.fault.taskDelayMs", 0);
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!firstAttempt()) return;
        if (tensor.equals(System.getProperty("nowag.fault.throwOnce"))) {
            throw new IOException("injected fault: first attempt of " + tensor + " fails");
        }
        if (tensor.equals(System.getProperty("nowag.fault.dieMidWrite"))) {
            Path target = AtomicFiles.writesDirectly(fs, part) ? part
                    : new Path(part.getParent(), part.getName() + AtomicFiles.TEMP_MARKER + java.util.UUID.randomUUID());
            FSDataOutputStream out = fs.create(target, true);
            out.write(encoded, 0, encoded.length / 2);
            out.hflush();
            // Deliberately not closed: a dead executor closes nothing.
            throw new IOException("injected fault: executor of " + tensor + " died mid-write of " + target);
        }
    }

    private static boolean firstAttempt() {
        TaskContext ctx = TaskContext.get();
        return ctx == null || ctx.attemptNumber() == 0;
    }
}
