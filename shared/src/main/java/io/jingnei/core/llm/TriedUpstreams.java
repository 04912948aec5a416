package io.jingnei.core.llm;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one call has tried of the upstreams serving its current model: attempts per upstream, those
 * tried in this round (a round ends with a wait before the same upstreams are tried again), and
 * those dropped for the rest of the model (keys rejected, model unknown, retry budget spent).
 * Used by one call at a time, like the call itself.
 */
final class TriedUpstreams {
    private final Map<Upstream, Integer> attempts = new HashMap<>();
    private final Set<Upstream> thisRound = new HashSet<>();
    private final Set<Upstream> dropped = new HashSet<>();
    /** Rounds of waiting done for this model: the backoff's step. */
    private int rounds;
    /** At most this many retries of one upstream (0 when the caller says it is retrying on its own). */
    private final boolean callerRetrying;

    TriedUpstreams(boolean callerRetrying) {
        this.callerRetrying = callerRetrying;
    }

    int attempts(Upstream u) {
        return attempts.getOrDefault(u, 0);
    }

    /** Neither dropped, nor tried this round, nor out of retries. */
    boolean mayTry(Upstream u) {
        return !dropped.contains(u) && !thisRound.contains(u) && attempts(u) <= maxRetries(u);
    }

    /** An upstream tried this round may be tried again after a wait: not dropped and attempts left. */
    boolean retriesLeft(List<Upstream> candidates) {
        for (Upstream u : candidates) {
            if (!dropped.contains(u) && attempts(u) <= maxRetries(u) && thisRound.contains(u)) {
                return true;
            }
        }
        return false;
    }

    /** @return true for the upstream's first attempt in this call (a request, not a retry, for its budget) */
    boolean started(Upstream u) {
        thisRound.add(u);
        return attempts.merge(u, 1, Integer::sum) == 1;
    }

    /** A rejected key is no retry of the upstream. */
    void notARetry(Upstream u) {
        attempts.merge(u, -1, Integer::sum);
    }

    /** Another key of the same upstream may take the call at once. */
    void again(Upstream u) {
        thisRound.remove(u);
    }

    void drop(Upstream u) {
        dropped.add(u);
    }

    int rounds() {
        return rounds;
    }

    /** After a wait: the same upstreams may be tried again. */
    void nextRound() {
        rounds++;
        thisRound.clear();
    }

    /** One more try with set-aside keys: not a new round of waiting. */
    void sameRoundAgain() {
        thisRound.clear();
    }

    /** The next model of the fallback chain starts afresh. */
    void nextModel() {
        attempts.clear();
        thisRound.clear();
        dropped.clear();
        rounds = 0;
    }

    private int maxRetries(Upstream u) {
        return callerRetrying ? 0 : u.maxRetries;
    }
}
