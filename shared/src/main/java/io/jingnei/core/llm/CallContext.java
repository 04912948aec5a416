package io.jingnei.core.llm;

import java.util.UUID;

/** Who is calling and under which request id; created by an adapter per request. */
public final class CallContext {
    public final String requestId;
    public final String function;
    public final String userId;
    public final long startNanos;
    public final CallTrace trace = new CallTrace();

    public CallContext(String requestId, String function, String userId) {
        this.requestId = requestId == null || requestId.isBlank() ? UUID.randomUUID().toString() : requestId;
        this.function = function;
        this.userId = userId;
        this.startNanos = System.nanoTime();
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** The same request seen with a user id known only after the body is read. */
    public CallContext withUser(String user) {
        return user == null || user.equals(userId) ? this : new CallContext(requestId, function, user);
    }
}
