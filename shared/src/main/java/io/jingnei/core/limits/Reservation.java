package io.jingnei.core.limits;

import io.jingnei.core.call.Hold;

/**
 * What an admitted call holds against its caller's limits until it ends: tokens against tokens per
 * minute and nano-CNY against the budgets. Settled by the call's charge (what it actually used
 * replaces it) or released when it ends without one (a refusal, a failure, a cache hit). A hold
 * that is never settled (the instance froze mid-call) expires on its own.
 */
public final class Reservation implements Hold {
    final String user;
    final String id;
    final long tokens;
    final long nanoCny;
    final long expiresAtMillis;

    Reservation(String user, String id, long tokens, long nanoCny, long expiresAtMillis) {
        this.user = user;
        this.id = id;
        this.tokens = tokens;
        this.nanoCny = nanoCny;
        this.expiresAtMillis = expiresAtMillis;
    }

    @Override
    public String toString() {
        return tokens + " tokens, " + nanoCny + " nano-CNY";
    }
}
