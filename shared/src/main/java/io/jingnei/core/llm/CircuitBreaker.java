package io.jingnei.core.llm;


import io.jingnei.core.util.TimeSource;

import java.time.Duration;

/**
 * Per upstream: after {@code threshold} consecutive failures (5xx, connect errors, timeouts,
 * resets; not 429s, which say "slow down", nor key rejections) the upstream is skipped for
 * {@code openFor}; then exactly one probe call is let through, and its outcome closes or reopens
 * the breaker. Each failed probe doubles the next open period, up to ten times {@code openFor}
 * (as Envoy lengthens an ejection): a client that retries for twenty minutes (Spring AI) then meets
 * a few probes, not one every {@code openFor}. A success resets it. Thread-safe.
 */
final class CircuitBreaker {
    enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final long openNanos;
    private final TimeSource time;
    private int consecutiveFailures;
    private long openedAtNanos;
    private State state = State.CLOSED;
    private boolean probing;
    private int failedProbes;

    CircuitBreaker(int threshold, Duration openFor, TimeSource time) {
        this.threshold = threshold;
        this.openNanos = openFor.toNanos();
        this.time = time;
    }

    /** Whether a call may go to this upstream now; in half-open state only the first asker gets the probe. */
    synchronized boolean tryAcquire() {
        if (state == State.OPEN && time.nanoTime() - openedAtNanos >= openPeriod()) {
            state = State.HALF_OPEN;
            probing = false;
        }
        switch (state) {
            case CLOSED:
                return true;
            case HALF_OPEN:
                if (probing) {
                    return false;
                }
                probing = true;
                return true;
            default:
                return false;
        }
    }

    /** Would {@link #tryAcquire} let a call through, without taking the probe. */
    synchronized boolean healthy() {
        return state == State.CLOSED;
    }

    /** The open period is over and nobody has taken the probe yet: the next call should. */
    synchronized boolean probeDue() {
        return (state == State.OPEN && time.nanoTime() - openedAtNanos >= openPeriod()) || (state == State.HALF_OPEN && !probing);
    }

    /** How long until the open period ends and a probe may go; zero when not open. */
    synchronized Duration untilProbe() {
        return state == State.OPEN ? Duration.ofNanos(Math.max(0, openedAtNanos + openPeriod() - time.nanoTime())) : Duration.ZERO;
    }

    private long openPeriod() {
        return failedProbes == 0 ? openNanos : Math.min(openNanos * 10, openNanos << Math.min(failedProbes, 4));
    }

    synchronized void success() {
        consecutiveFailures = 0;
        failedProbes = 0;
        state = State.CLOSED;
        probing = false;
    }

    /** @return true when this failure opened the breaker */
    synchronized boolean failure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN) {
            failedProbes++;
        }
        if (state == State.HALF_OPEN || (state == State.CLOSED && consecutiveFailures >= threshold)) {
            state = State.OPEN;
            openedAtNanos = time.nanoTime();
            probing = false;
            return true;
        }
        return false;
    }

    /** An attempt that took the probe but ended neither way (cancelled, a request error): give it back. */
    synchronized void release() {
        if (state == State.HALF_OPEN) {
            probing = false;
        }
    }

    synchronized State state() {
        return state;
    }
}
