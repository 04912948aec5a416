package io.jingnei.core.util;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instance's own threads, so nothing CPU-bound or blocking runs on an HTTP I/O thread:
 * {@link #cpu()} for short CPU work (embedding a question, a search, parsing an index), sized to
 * the cores; {@link #blocking()} for long blocking jobs (a faq-batch, an index build) that must not
 * starve the first. Daemon threads, created on demand: an idle instance holds none.
 */
public final class Workers implements AutoCloseable {
    private final ThreadPoolExecutor cpu;
    private final ThreadPoolExecutor blocking;

    public Workers() {
        int cores = Math.max(2, Runtime.getRuntime().availableProcessors());
        cpu = new ThreadPoolExecutor(cores, cores, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory("jingnei-cpu"));
        cpu.allowCoreThreadTimeOut(true);
        blocking = new ThreadPoolExecutor(0, 64, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), factory("jingnei-job"));
    }

    public ExecutorService cpu() {
        return cpu;
    }

    public ExecutorService blocking() {
        return blocking;
    }

    private static java.util.concurrent.ThreadFactory factory(String name) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        cpu.shutdownNow();
        blocking.shutdownNow();
    }
}
