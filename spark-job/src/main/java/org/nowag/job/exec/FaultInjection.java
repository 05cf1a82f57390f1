package org.nowag.job.exec;

import java.io.IOException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.nowag.io.fs.AtomicFiles;

/**
 * Test-only faults in the shard task every method runs through, switched on by system properties (so they reach a
 * child JVM too); all off unless set. They act only on a task's first attempt, so Spark's retry is what the tests
 * observe.
 * <ul>
 * <li>{@code nowag.fault.throwOnce=TENSOR}: the task of the shard holding TENSOR throws before computing it.</li>
 * <li>{@code nowag.fault.dieMidWrite=TENSOR}: the task of the shard holding TENSOR opens the shard exactly as the
 * real write would (a temp name on HDFS/local, the final object name on S3), writes part of it and stops without
 * closing or cleaning up, as an executor killed mid-write leaves it.</li>
 * <li>{@code nowag.fault.taskDelayMs=N}: every shard task sleeps N ms first (to kill a driver mid-job).</li>
 * </ul>
 */
public final class FaultInjection {
    private FaultInjection() {}

    static void delay() {
        long delay = Long.getLong("nowag.fault.taskDelayMs", 0);
        if (delay <= 0) return;
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Called when the task reaches tensor; headerBytes is what a real write would have written by then. */
    static void beforeTensor(String tensor, FileSystem fs, Path shard, byte[] headerBytes) throws IOException {
        if (!firstAttempt()) return;
        if (tensor.equals(System.getProperty("nowag.fault.throwOnce"))) {
            throw new IOException("injected fault: first attempt of " + tensor + " fails");
        }
        if (tensor.equals(System.getProperty("nowag.fault.dieMidWrite"))) {
            Path target = AtomicFiles.writesDirectly(fs, shard) ? shard
                    : new Path(shard.getParent(), shard.getName() + AtomicFiles.TEMP_MARKER + java.util.UUID.randomUUID());
            FSDataOutputStream out = fs.create(target, true);
            out.write(headerBytes);
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
