package org.nowag.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntUnaryOperator;

/**
 * Runs task(k) for k = 0 .. n - 1 on up to {@code threads} threads (the caller's among them) and adds up what the
 * tasks return. The callers' tasks touch disjoint data (one output block each: ARMOR's S sweep, NoWag-VQ's
 * assignment units and k-means++ chunks), so which thread runs which k, and when, changes no result; the integer
 * sum does not depend on the order either. Threads take the next k from a shared counter, so a slow block does not
 * hold up a fixed share of the others.
 *
 * <p>One-off loops use {@link #sum(int, int, IntUnaryOperator)}; a kernel that runs thousands of short loops in a
 * row (k-means++: one per centroid) opens one instance and reuses its threads, so no loop pays for starting them.
 */
public final class ParallelBlocks implements AutoCloseable {
    private final int threads;
    /** threads - 1 workers; the calling thread is the last one. Null with one thread. */
    private final ExecutorService workers;

    public ParallelBlocks(int threads) {
        this.threads = Math.max(1, threads);
        this.workers = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads - 1, r -> {
            Thread t = new Thread(r, "kernel-block");
            t.setDaemon(true);
            return t;
        });
    }

    /** One loop on {@code threads} threads started for it. */
    public static int sum(int n, int threads, IntUnaryOperator task) {
        if (threads <= 1 || n <= 1) return sequential(n, task);
        try (ParallelBlocks pool = new ParallelBlocks(Math.min(threads, n))) {
            return pool.sum(n, task);
        }
    }

    /** One loop on this instance's threads. */
    public int sum(int n, IntUnaryOperator task) {
        if (threads == 1 || n <= 1) return sequential(n, task);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger total = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            try {
                for (int k = next.getAndIncrement(); k < n && failure.get() == null; k = next.getAndIncrement()) {
                    total.addAndGet(task.applyAsInt(k));
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        };
        List<Future<?>> running = new ArrayList<>();
        for (int t = 1; t < Math.min(threads, n); t++) running.add(workers.submit(worker));
        worker.run();
        try {
            for (Future<?> f : running) f.get();
        } catch (InterruptedException e) {
            // A killed task: let the workers stop after their current block and give up.
            failure.compareAndSet(null, e);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running kernel blocks on " + threads + " threads", e);
        } catch (ExecutionException e) {
            failure.compareAndSet(null, e.getCause());  // not reached: the worker catches everything itself
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error err) throw err;
        if (f != null) throw new IllegalStateException(f);
        return total.get();
    }

    @Override
    public void close() {
        if (workers != null) workers.shutdownNow();
    }

    private static int sequential(int n, IntUnaryOperator task) {
        int total = 0;
        for (int k = 0; k < n; k++) total += task.applyAsInt(k);
        return total;
    }
}
