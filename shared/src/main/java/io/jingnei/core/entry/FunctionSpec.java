package io.jingnei.core.entry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.call.CallTrace;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * One function as every adapter sees it: its name (the Funqy name, the path {@code /name}), who may
 * call it, its body type with the core's reader for it, and its core call, which answers either one
 * {@link Reply} or a stream of events. Declared once, in {@link Functions}; like Funqy's
 * {@code FunctionInvoker}, but the adapters' bindings read it instead of discovering methods.
 */
public final class FunctionSpec<B> {
    /** The core's reader of a body: a {@link io.jingnei.core.error.JingneiException} says what is wrong with it. */
    public interface BodyReader<B> {
        B read(byte[] body);
    }

    /** The core call, given the caller the adapter's gate decided. */
    public interface Call<B, R> {
        CompletableFuture<R> call(FunctionCalls calls, Caller caller, B body, String requestId);
    }

    /**
     * The core call of a function that answers once, given the call's trace: an adapter that sees its
     * caller go away cancels the trace, which aborts the upstream call (chat, rag-query).
     */
    public interface ReplyCall<B> {
        CompletableFuture<Reply> call(FunctionCalls calls, Caller caller, B body, String requestId, CallTrace trace);
    }

    /** The core call for an object-created event: the object as the platform names it. */
    public interface ObjectCreatedCall {
        CompletableFuture<Reply> call(FunctionCalls calls, String scheme, String bucket, String key, String requestId);
    }

    /** The core call for a platform event whose payload is the request as JSON text. */
    public interface PayloadCall {
        CompletableFuture<Reply> call(FunctionCalls calls, String payload, String requestId);
    }

    /** The built-in runtimes' (FC java11, SCF Java11) triggers that deliver to a function. */
    public enum Trigger {
        /** An HTTP trigger or API Gateway request. */
        HTTP,
        /** An object-created event from the object store (OSS, COS). */
        OBJECT_CREATED,
        /** A timer whose payload is the request (on FC, a direct invocation too). */
        TIMER
    }

    public final String name;
    public final String path;
    public final Access access;
    public final Class<B> bodyType;
    public final Set<Trigger> triggers;
    private final BodyReader<B> reader;
    private final ReplyCall<B> replying;
    private final Call<B, Flow.Publisher<ObjectNode>> streaming;
    private final boolean http;
    private final ObjectCreatedCall objectCreated;
    private final PayloadCall payload;

    private FunctionSpec(String name, Access access, Class<B> bodyType, BodyReader<B> reader, ReplyCall<B> replying,
                         Call<B, Flow.Publisher<ObjectNode>> streaming, boolean http, ObjectCreatedCall objectCreated, PayloadCall payload) {
        this.name = name;
        this.path = "/" + name;
        this.access = access;
        this.bodyType = bodyType;
        this.reader = reader;
        this.replying = replying;
        this.streaming = streaming;
        this.http = http;
        this.objectCreated = objectCreated;
        this.payload = payload;
        EnumSet<Trigger> triggers = EnumSet.noneOf(Trigger.class);
        if (http) {
            triggers.add(Trigger.HTTP);
        }
        if (objectCreated != null) {
            triggers.add(Trigger.OBJECT_CREATED);
        }
        if (payload != null) {
            triggers.add(Trigger.TIMER);
        }
        this.triggers = Collections.unmodifiableSet(triggers);
    }

    static <B> FunctionSpec<B> replying(String name, Access access, Class<B> bodyType, BodyReader<B> reader, ReplyCall<B> call) {
        return new FunctionSpec<>(name, access, bodyType, reader, call, null, false, null, null);
    }

    /** Streamed functions answer as Server-Sent Events, which only the web function writes: no trigger reaches them. */
    static <B> FunctionSpec<B> streaming(String name, Access access, Class<B> bodyType, BodyReader<B> reader,
                                         Call<B, Flow.Publisher<ObjectNode>> call) {
        return new FunctionSpec<>(name, access, bodyType, reader, null, call, false, null, null);
    }

    /** This function, answered by the built-in runtimes' HTTP triggers too. */
    FunctionSpec<B> onHttpTriggers() {
        return new FunctionSpec<>(name, access, bodyType, reader, replying, streaming, true, objectCreated, payload);
    }

    /** This function, started by the platforms' object-created and timer events too (as the platform, without a key). */
    FunctionSpec<B> onEvents(ObjectCreatedCall objectCreated, PayloadCall payload) {
        return new FunctionSpec<>(name, access, bodyType, reader, replying, streaming, http, objectCreated, payload);
    }

    public boolean streamed() {
        return streaming != null;
    }

    /** The body as this function reads it; throws the core's invalid_request (or 413) with what is wrong. */
    public B read(byte[] body) {
        return reader.read(body == null ? new byte[0] : body);
    }

    public CompletableFuture<Reply> reply(FunctionCalls calls, Caller caller, B body, String requestId) {
        return reply(calls, caller, body, requestId, new CallTrace());
    }

    /** @param trace the adapter's: it cancels the trace when its caller goes away, which aborts the upstream call */
    public CompletableFuture<Reply> reply(FunctionCalls calls, Caller caller, B body, String requestId, CallTrace trace) {
        if (replying == null) {
            throw new IllegalStateException(name + " answers as a stream");
        }
        return replying.call(calls, caller, body, requestId, trace);
    }

    public CompletableFuture<Flow.Publisher<ObjectNode>> stream(FunctionCalls calls, Caller caller, B body, String requestId) {
        if (streaming == null) {
            throw new IllegalStateException(name + " answers once, not as a stream");
        }
        return streaming.call(calls, caller, body, requestId);
    }

    /** An object-created event for this function; it may be skipped (outside the input prefix or the storage allow-list). */
    public CompletableFuture<Reply> objectCreated(FunctionCalls calls, String scheme, String bucket, String key, String requestId) {
        if (objectCreated == null) {
            throw new IllegalStateException(name + " is not started by object-created events");
        }
        return objectCreated.call(calls, scheme, bucket, key, requestId);
    }

    /** A timer's payload (or FC's direct invocation) for this function: the request as JSON text. */
    public CompletableFuture<Reply> payload(FunctionCalls calls, String payload, String requestId) {
        if (this.payload == null) {
            throw new IllegalStateException(name + " is not started by timers");
        }
        return this.payload.call(calls, payload, requestId);
    }

    @Override
    public String toString() {
        return name;
    }
}
