package org.nowag.job.progress;

import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.TaskContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.apache.spark.util.TaskCompletionListener;

/**
 * A Spark plugin ({@code spark.plugins=org.nowag.job.progress.TaskIoMetrics}, which nowag sets on the contexts it
 * makes) that reports every task's Hadoop file system bytes as the task's own Spark input/output metrics.
 *
 * <p>nowag's tasks read tensors and write parts through Hadoop's FileSystem themselves, not through a Spark data
 * source, so Spark counts none of their bytes. Hadoop counts them per thread, and a task runs on one executor thread:
 * the difference of that thread's counters between the task's start and its completion is the task's I/O. Spark
 * then carries it to the driver with the task's end, where the progress line, the Spark UI and the event log show
 * it. Bytes read or written on threads a task starts itself are not counted.
 */
public final class TaskIoMetrics implements SparkPlugin {
    @Override public DriverPlugin driverPlugin() {
        return null;
    }

    @Override public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override public void init(PluginContext ctx, Map<String, String> extraConf) {
                // nothing to set up: the counters are Hadoop's
            }

            @Override public void onTaskStart() {
                TaskContext task = TaskContext.get();  // set by Spark before plugins hear of the task
                if (task == null) return;
                long read0 = threadBytesRead();
                long written0 = threadBytesWritten();
                // Completion listeners run on the task's thread before Spark collects its metrics.
                task.addTaskCompletionListener((TaskCompletionListener) done ->
                        record(done, threadBytesRead() - read0, threadBytesWritten() - written0));
            }
        };
    }

    /** Adds the task's bytes to its metrics. Spark's setters are private[spark] in Scala, public in bytecode. */
    static void record(TaskContext task, long read, long written) {
        if (read > 0) task.taskMetrics().inputMetrics().incBytesRead(read);
        if (written > 0) {
            task.taskMetrics().outputMetrics().setBytesWritten(task.taskMetrics().outputMetrics().bytesWritten() + written);
        }
    }

    @SuppressWarnings("deprecation")  // per-thread counters exist only on the Statistics objects
    static long threadBytesRead() {
        long sum = 0;
        for (FileSystem.Statistics s : FileSystem.getAllStatistics()) sum += s.getThreadStatistics().getBytesRead();
        return sum;
    }

    @SuppressWarnings("deprecation")
    static long threadBytesWritten() {
        long sum = 0;
        for (FileSystem.Statistics s : FileSystem.getAllStatistics()) sum += s.getThreadStatistics().getBytesWritten();
        return sum;
    }
}
