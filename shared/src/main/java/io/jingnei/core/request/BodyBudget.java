package io.jingnei.core.request;

import io.jingnei.core.config.Env;
import io.jingnei.core.config.Settings;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request-body bytes one instance holds at once, across all connections. A body is read only
 * after its request was admitted from the headers, and only into a reservation from this budget:
 * a caller that declares a length reserves it before the first byte is kept; a chunked body
 * reserves as it arrives. Without it, many connections each holding an unfinished maximal body
 * exhausted the heap. Thread-safe; a reservation is released exactly once by its owner.
 */
public final class BodyBudget {
    /** Bodies beyond a quarter of the heap would compete with the model, the index and the answers. */
    private static final long HEAP_SHARE = 4;

    public final long limitBytes;
    /** How long a request may take to send its whole body before it is cut (408). */
    public final Duration timeout;
    private final AtomicLong held = new AtomicLong();

    public BodyBudget(long limitBytes, Duration timeout) {
        this.limitBytes = limitBytes;
        this.timeout = timeout;
    }

    /** {@code JINGNEI_MAX_INFLIGHT_BODY_BYTES} (default a quarter of the heap) and {@code JINGNEI_BODY_TIMEOUT} (default 20 s). */
    public static BodyBudget from(Env env, long maxBodyBytes) {
        long fallback = Math.max(maxBodyBytes, Runtime.getRuntime().maxMemory() / HEAP_SHARE);
        long limit = Settings.bytes(env, "JINGNEI_MAX_INFLIGHT_BODY_BYTES", fallback, maxBodyBytes, Long.MAX_VALUE / 2);
        return new BodyBudget(limit, Settings.duration(env, "JINGNEI_BODY_TIMEOUT", "20s"));
    }

    /** Takes {@code bytes} from the budget, or nothing and false when they do not fit. */
    public boolean tryReserve(long bytes) {
        if (bytes <= 0) {
            return true;
        }
        while (true) {
            long now = held.get();
            if (now + bytes > limitBytes) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    public void release(long bytes) {
        if (bytes > 0) {
            held.addAndGet(-bytes);
        }
    }

    /** Bytes reserved now (for tests and the log). */
    public long held() {
        return held.get();
    }
}
