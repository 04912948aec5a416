package io.jingnei.core.entry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.auth.Caller;

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

    /** The built-in runtimes' (FC java11, SCF Java11) triggers that deliver to a function. */
    public enum Trigger {
        /** An HTTP trigger or API Gateway request. */
        HTTP,
        /** An object-created event from the object store (OSS, COS). */
        OBJECT_CREATED,
        /** A timer whose payload names the input. */
        TIMER
    }

    public final String name;
    public final String path;
    public final Access access;
    public final Class<B> bodyType;
    public final Set<Trigger> triggers;
    private final BodyReader<B> reader;
    private final Call<B, Reply> replying;
    private final Call<B, Flow.Publisher<ObjectNode>> streaming;

    private FunctionSpec(String name, Access access, Class<B> bodyType, BodyReader<B> reader, Call<B, Reply> replying,
                         Call<B, Flow.Publisher<ObjectNode>> streaming, Set<Trigger> triggers) {
        this.name = name;
        this.path = "/" + name;
        this.access = access;
        this.bodyType = bodyType;
        this.reader = reader;
        this.replying = replying;
        this.streaming = streaming;
        this.triggers = triggers;
    }

    static <B> FunctionSpec<B> replying(String name, Access access, Class<B> bodyType, BodyReader<B> reader, Call<B, Reply> call,
                                        Trigger... triggers) {
        return new FunctionSpec<>(name, access, bodyType, reader, call, null, setOf(triggers));
    }

    /** Streamed functions answer as Server-Sent Events, which only the web function writes. */
    static <B> FunctionSpec<B> streaming(String name, Access access, Class<B> bodyType, BodyReader<B> reader,
                                         Call<B, Flow.Publisher<ObjectNode>> call) {
        return new FunctionSpec<>(name, access, bodyType, reader, null, call, Set.of());
    }

    public boolean streamed() {
        return streaming != null;
    }

    /** The body as this function reads it; throws the core's invalid_request (or 413) with what is wrong. */
    public B read(byte[] body) {
        return reader.read(body == null ? new byte[0] : body);
    }

    public CompletableFuture<Reply> reply(FunctionCalls calls, Caller caller, B body, String requestId) {
        if (replying == null) {
            throw new IllegalStateException(name + " answers as a stream");
        }
        return replying.call(calls, caller, body, requestId);
    }

    public CompletableFuture<Flow.Publisher<ObjectNode>> stream(FunctionCalls calls, Caller caller, B body, String requestId) {
        if (streaming == null) {
            throw new IllegalStateException(name + " answers once, not as a stream");
        }
        return streaming.call(calls, caller, body, requestId);
    }

    private static Set<Trigger> setOf(Trigger... triggers) {
        return triggers.length == 0 ? Set.of() : Collections.unmodifiableSet(EnumSet.of(triggers[0], triggers));
    }

    @Override
    public String toString() {
        return name;
    }
}
