package org.nowag.tools.measure;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Heap figures for one phase of a benchmark: the heap pools' peak usage since {@link #start} (garbage not yet
 * collected included: an upper bound that nears -Xmx whatever the live set), and the largest heap occupancy right
 * after any collection during the phase, young ones included (every heap pool's usage after that GC, from the GC
 * notifications): the live set's high-water mark as the collector saw it, plus old garbage not yet reclaimed.
 */
public final class HeapWatch implements AutoCloseable {
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onGc;
    private final Set<String> heapPools;
    private volatile long maxAfterGc;
    private long peak;
    private boolean closed;

    private HeapWatch() {
        heapPools = heapPoolBeans().stream().map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        System.gc();
        for (MemoryPoolMXBean pool : heapPoolBeans()) {
            pool.resetPeakUsage();
        }
        maxAfterGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter) {
                NotificationEmitter e = (NotificationEmitter) gc;
                e.addNotificationListener(listener, null, null);
                emitters.add(e);
            }
        }
    }

    /** Collects, resets the peaks, and starts listening to collections. */
    public static HeapWatch start() {
        return new HeapWatch();
    }

    /** Stops listening and fixes the peak (idempotent). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // already gone
            }
        }
        long sum = 0;
        for (MemoryPoolMXBean pool : heapPoolBeans()) {
            sum += pool.getPeakUsage().getUsed();
        }
        peak = sum;
    }

    /** Sum of the heap pools' peaks during the phase (bytes). */
    public long peakBytes() {
        return peak;
    }

    /** The largest heap occupancy right after a GC during the phase (bytes). */
    public long liveAfterGcBytes() {
        return maxAfterGc;
    }

    private void onGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long sum = 0;
        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(e.getKey())) sum += e.getValue().getUsed();
        }
        if (sum > maxAfterGc) maxAfterGc = sum;
    }

    private static List<MemoryPoolMXBean> heapPoolBeans() {
        List<MemoryPoolMXBean> pools = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) pools.add(pool);
        }
        return pools;
    }
}
