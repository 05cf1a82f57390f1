package org.nowag.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntUnaryOperator;

/**
 * Runs task(k) for k = 0 .. n - 1 on up to {@code threads} threads and adds up what the tasks return. The callers'
 * tasks touch disjoint data (one output block each: ARMOR's S sweep, NoWag-VQ's assignment and k-means++ chunks), so
 * which thread runs which k, and when, changes no result; the integer sum does not depend on the order either.
 * Threads take the next k from a shared counter, so a slow block does not hold up a fixed share of the others.
 */
public final class ParallelBlocks {
    private ParallelBlocks() {}

    public static int sum(int n, int threads, IntUnaryOperator task) {
        if (threads <= 1 || n <= 1) {
            int total = 0;
            for (int k = 0; k < n; k++) total += task.applyAsInt(k);
            return total;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger total = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] workers = new Thread[Math.min(threads, n)];
        for (int t = 0; t < workers.length; t++) {
            workers[t] = new Thread(() -> {
                try {
                    for (int k = next.getAndIncrement(); k < n && failure.get() == null; k = next.getAndIncrement()) {
                        total.addAndGet(task.applyAsInt(k));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "kernel-block-" + t);
            workers[t].setDaemon(true);
            workers[t].start();
        }
        try {
            for (Thread w : workers) w.join();
        } catch (InterruptedException e) {
            // A killed task: let the workers stop after their current block and give up.
            failure.compareAndSet(null, e);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running kernel blocks on " + workers.length + " threads", e);
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error err) throw err;
        if (f != null) throw new IllegalStateException(f);
        return total.get();
    }
}
