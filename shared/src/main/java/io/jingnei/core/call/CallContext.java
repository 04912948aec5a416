package io.jingnei.core.call;

import io.jingnei.core.auth.Caller;
import io.jingnei.core.pii.PiiPolicy;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who is calling, as whom the call is accounted, and under which request id; made by an adapter
 * per request. A request id from a client or gateway is kept only when it is short and plain, so it
 * can go into headers and log lines as is.
 */
public final class CallContext {
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,64}");

    public final String requestId;
    public final String function;
    /**
     * The user id as the log and the upstream ({@code user}) see it; null when anonymous. Personal
     * information in it (a phone number used as an id, a token's {@code sub}) is masked: limits
     * count the caller's own id, which never leaves the instance's stores.
     */
    public final String userId;
    public final Caller caller;
    public final long startNanos;
    /** Shared by {@link #withBodyUser} (the same request), so the adapter's {@link CallTrace#cancel} reaches the call. */
    public final CallTrace trace;
    /** What the call's admission holds against its caller's limits, until its charge or end settles it. */
    private final java.util.concurrent.atomic.AtomicReference<Hold> reservation =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** Fields the call's log line carries besides its own (a follow-up's rewrite); shared by {@link #withBodyUser}, as the trace is. */
    private final java.util.Map<String, Object> logNotes;

    public CallContext(String requestId, String function, Caller caller) {
        this(requestId, function, caller, new CallTrace());
    }

    /** @param trace made by the adapter, which cancels it when its caller goes away */
    public CallContext(String requestId, String function, Caller caller, CallTrace trace) {
        this(acceptRequestId(requestId), function, caller, caller == null ? null : caller.userId, System.nanoTime(), trace);
    }

    private CallContext(String requestId, String function, Caller caller, String userId, long startNanos, CallTrace trace) {
        this(requestId, function, caller, userId, startNanos, trace, new java.util.concurrent.ConcurrentSkipListMap<>());
    }

    private CallContext(String requestId, String function, Caller caller, String userId, long startNanos, CallTrace trace,
                        java.util.Map<String, Object> logNotes) {
        this.trace = trace;
        this.logNotes = logNotes;
        this.requestId = requestId;
        this.function = function;
        this.caller = caller == null ? Caller.anonymous() : caller;
        this.userId = userId == null ? null : PiiPolicy.builtIn().maskAlone(userId);
        this.startNanos = startNanos;
    }

    /** The request id to use: the given one when it is short and safe, else a new one. */
    public static String acceptRequestId(String candidate) {
        return candidate != null && SAFE_ID.matcher(candidate).matches() ? candidate : UUID.randomUUID().toString();
    }

    public void hold(Hold held) {
        reservation.set(held);
    }

    /** The call's hold, taken once: whoever settles it (a charge, the call's end) gets it, nobody else. */
    public Hold takeHold() {
        return reservation.getAndSet(null);
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * The same request accounted to the user the body names: a sub-label of an authenticated user
     * ({@code alice/visitor-42}), or the anonymous caller's own label. Never replaces a key's user.
     */
    public CallContext withBodyUser(String fromBody) {
        String effective = caller.effectiveUser(fromBody);
        return effective == null || PiiPolicy.builtIn().maskAlone(effective).equals(userId) ? this
                : new CallContext(requestId, function, caller, effective, startNanos, trace, logNotes);
    }

    /** Adds a field to the call's log line, whoever writes it (the LLM call's line, or the core's own); null is left out. */
    public void note(String name, Object value) {
        if (value != null) {
            logNotes.put(name, value);
        }
    }

    /** The fields {@link #note} added, sorted by name. */
    public java.util.Map<String, Object> notes() {
        return java.util.Collections.unmodifiableMap(logNotes);
    }

    /** The same request under another function name, e.g. a faq-batch question. */
    public CallContext forFunction(String name, String subRequestId) {
        return new CallContext(subRequestId, name, caller, userId, System.nanoTime(), new CallTrace());
    }
}
