package io.jingnei.core.llm;

import java.time.Duration;

/** What {@link FailurePolicy} decided for an {@link UpstreamOutcome}; {@link Failover} carries it out. */
final class Decision {
    enum Step {
        /** Another key of the same upstream, at once. */
        NEXT_KEY,
        /** The next candidate upstream, at once (none left: the round is over and the policy is asked again). */
        NEXT_UPSTREAM,
        /** Every candidate was just tried: after {@link #wait}, a new round over the same upstreams. */
        RETRY_SAME,
        /** Every usable key rests after a 429: after {@link #wait}, try again. */
        WAIT,
        /** The next model of the fallback chain. */
        NEXT_MODEL,
        /** Nothing else is left: one more try with the keys set aside after 401/403. */
        TRY_SET_ASIDE_KEYS,
        /** Stop; the caller is told {@link #error}. */
        GIVE_UP
    }

    /** What happens to the key that was just used. */
    enum Key { KEEP, SET_ASIDE, REST }

    final Step step;
    final Duration wait;
    final Key key;
    /** How long the key rests ({@link Key#REST}). */
    final Duration keyRest;
    /** The failure counts against the upstream's circuit breaker; otherwise the attempt's hold on it is released. */
    final boolean breakerFailure;
    /** The upstream is not tried again for this model in this call. */
    final boolean dropUpstream;
    /** What the caller is told: its kind gives the HTTP status, its retryAfter the Retry-After. */
    final Throwable error;

    private Decision(Step step, Duration wait, Key key, Duration keyRest, boolean breakerFailure, boolean dropUpstream, Throwable error) {
        this.step = step;
        this.wait = wait;
        this.key = key;
        this.keyRest = keyRest;
        this.breakerFailure = breakerFailure;
        this.dropUpstream = dropUpstream;
        this.error = error;
    }

    static Decision nextKey(Key key, Duration keyRest) {
        return new Decision(Step.NEXT_KEY, null, key, keyRest, false, false, null);
    }

    static Decision nextUpstream(Key key, Duration keyRest, boolean breakerFailure, boolean dropUpstream) {
        return new Decision(Step.NEXT_UPSTREAM, null, key, keyRest, breakerFailure, dropUpstream, null);
    }

    static Decision after(Step step, Duration wait) {
        return new Decision(step, wait, Key.KEEP, null, false, false, null);
    }

    static Decision giveUp(Throwable error) {
        return new Decision(Step.GIVE_UP, null, Key.KEEP, null, false, false, error);
    }

    @Override
    public String toString() {
        return step + (wait != null ? " " + wait : "") + (key != Key.KEEP ? " key=" + key + (keyRest != null ? " " + keyRest : "") : "")
                + (breakerFailure ? " breaker" : "") + (dropUpstream ? " drop" : "") + (error != null ? " " + error : "");
    }
}
