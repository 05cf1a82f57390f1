package org.nowag.job.spark;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * A Spark plugin (nowag adds it to {@code spark.plugins} on the contexts it makes) that keeps each executor JVM's
 * heap committed while it runs. G1 gives heap back to the operating system after a concurrent cycle whenever more
 * than MaxHeapFreeRatio (default 70 %) of it is free, and the tasks allocate block-sized arrays (tens of MB each) for
 * every block, so the heap shrank and grew again every few blocks and the kernel zeroed every page of the regrown
 * heap on its first touch: on the 1 GB bench 2.0 M page faults instead of 0.6 M, and NoWag-P 4.6 s instead of 2.5 s
 * (docs/results/2026-12-06-bench-heap.md). MaxHeapFreeRatio is a manageable flag, so the executor sets it to 100 when
 * it starts: the heap keeps what it has grown to, and still never exceeds -Xmx.
 * Off with {@value #KEY}=false (e.g. a shared notebook cluster that wants the memory back between jobs).
 */
public final class ExecutorHeap implements SparkPlugin {
    public static final String KEY = "spark.nowag.heap.keepCommitted";

    @Override public DriverPlugin driverPlugin() {
        return null;
    }

    @Override public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override public void init(PluginContext ctx, Map<String, String> extraConf) {
                // A bad value was refused on the driver (SparkContexts); here it must not keep an executor from starting.
                if (!"false".equalsIgnoreCase(ctx.conf().get(KEY, "true").strip())) keepCommitted();
            }
        };
    }

    /** Whether {@value #KEY} (default true) asks for it; IllegalArgumentException for anything but true or false. */
    public static boolean enabled(org.apache.spark.SparkConf conf) {
        String v = conf.get(KEY, "true").strip();
        if (v.equalsIgnoreCase("true")) return true;
        if (v.equalsIgnoreCase("false")) return false;
        throw new IllegalArgumentException(KEY + "=" + v + ": give true (the default: executors keep their heap "
                + "committed) or false");
    }

    /** Sets MaxHeapFreeRatio=100 in this JVM; returns false where the JVM has no such manageable flag. */
    public static boolean keepCommitted() {
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotSpot == null) return false;
            hotSpot.setVMOption("MaxHeapFreeRatio", "100");
            return true;
        } catch (RuntimeException e) {
            return false;  // not HotSpot, or not manageable there: only speed is at stake, so the executor goes on
        }
    }
}
