package io.jingnei.core.entry;

import com.fasterxml.jackson.databind.JsonNode;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.rag.IndexBuildRequest;
import io.jingnei.core.rag.IndexBuildTrigger;
import io.jingnei.core.request.RequestBodies;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code index-build} started by the platform: an object event (OSS on FC, COS on SCF), a timer, or
 * a direct invocation. What to build is {@link IndexBuildTrigger}'s decision; the build itself is
 * {@link FunctionCalls#indexBuild}'s, as over HTTP, with the platform as the caller (no admin key:
 * only the platform can invoke an event function). The adapters translate their event to one of
 * these calls and nothing more.
 */
public final class IndexBuildEvents {
    private static final String FUNCTION = "index-build";
    private static final Set<String> OPTIONS = Set.of("input", "output", "int8", "rollback");
    private final FunctionCalls calls;

    private IndexBuildEvents(FunctionCalls calls) {
        this.calls = calls;
    }

    public static IndexBuildEvents of(FunctionCalls calls) {
        return new IndexBuildEvents(calls);
    }

    /** An object created or removed at {@code scheme://bucket/key}: a rebuild of the knowledge base it lies in, or skipped. */
    public CompletableFuture<Reply> onObject(String scheme, String bucket, String key, String requestId) {
        String id = CallContext.acceptRequestId(requestId);
        IndexBuildTrigger.Decision decision;
        try {
            decision = trigger().onObject(scheme, bucket, key);
        } catch (JingneiException e) {
            return rejected(id, e);
        }
        if (decision.build == null) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("request_id", id);
            fields.put("reason", decision.skipped);
            calls.instance().log.event("index-build event skipped", fields);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "skipped");
            body.put("reason", decision.skipped);
            body.put("request_id", id);
            return CompletableFuture.completedFuture(new Reply(200, body));
        }
        return calls.indexBuild(Caller.platform(), decision.build, id);
    }

    /** A timer: its payload is empty (the configured build) or JSON options. */
    public CompletableFuture<Reply> onTimer(String payload, String requestId) {
        String id = CallContext.acceptRequestId(requestId);
        IndexBuildRequest request;
        try {
            request = trigger().onTimer(payload);
        } catch (JingneiException e) {
            return rejected(id, e);
        }
        return calls.indexBuild(Caller.platform(), request, id);
    }

    /**
     * An FC event by its documented shape: OSS ({@code events[0].oss}), timer ({@code triggerTime},
     * {@code payload} optional), or a direct invocation whose event is the options themselves.
     */
    public CompletableFuture<Reply> onFcEvent(byte[] eventBytes, String requestId) {
        String id = CallContext.acceptRequestId(requestId);
        JsonNode event;
        try {
            event = RequestBodies.readObject(eventBytes);
        } catch (JingneiException e) {
            return rejected(id, e);
        }
        JsonNode oss = event.path("events").path(0).path("oss");
        if (oss.isObject()) {
            return onObject("oss", oss.path("bucket").path("name").asText(), oss.path("object").path("key").asText(), id);
        }
        if (event.has("triggerTime")) {
            return onTimer(event.path("payload").asText(""), id);
        }
        for (Iterator<String> names = event.fieldNames(); names.hasNext(); ) {
            if (!OPTIONS.contains(names.next())) {
                return rejected(id, new JingneiException(ErrorKind.INVALID_REQUEST,
                        "unsupported event: expected an OSS object event, a timer event or index-build options " + OPTIONS));
            }
        }
        return onTimer(event.toString(), id);
    }

    private IndexBuildTrigger trigger() {
        return IndexBuildTrigger.of(calls.instance().ragConfig);
    }

    private CompletableFuture<Reply> rejected(String id, JingneiException e) {
        calls.instance().completions().rejected(new CallContext(id, FUNCTION, null), null, e);
        return CompletableFuture.completedFuture(Reply.failure(e, id));
    }
}
