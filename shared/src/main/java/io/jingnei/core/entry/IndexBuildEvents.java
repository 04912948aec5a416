package io.jingnei.core.entry;

import io.jingnei.core.auth.Caller;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.rag.IndexBuildRequest;
import io.jingnei.core.rag.IndexBuildTrigger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code index-build} started by the platform: an object event (OSS on FC, COS on SCF), a timer, or
 * a direct invocation: the event calls of {@link Functions.IndexBuild#SPEC}. What to build is
 * {@link IndexBuildTrigger}'s decision; the build itself is {@link FunctionCalls#indexBuild}'s, as
 * over HTTP, with the platform as the caller (no admin key: only the platform can invoke an event
 * function). The adapters read their event's shape and call these through the table.
 */
public final class IndexBuildEvents {
    private IndexBuildEvents() {
    }

    /** An object created or removed at {@code scheme://bucket/key}: a rebuild of the knowledge base it lies in, or skipped. */
    public static CompletableFuture<Reply> onObject(FunctionCalls calls, String scheme, String bucket, String key, String requestId) {
        String id = CallContext.acceptRequestId(requestId);
        IndexBuildTrigger.Decision decision;
        try {
            decision = trigger(calls).onObject(scheme, bucket, key);
        } catch (JingneiException e) {
            return calls.refused(Functions.IndexBuild.SPEC, id, e);
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

    /** A timer's payload (or a direct invocation's event): empty for the configured build, else JSON options. */
    public static CompletableFuture<Reply> onPayload(FunctionCalls calls, String payload, String requestId) {
        String id = CallContext.acceptRequestId(requestId);
        IndexBuildRequest request;
        try {
            request = trigger(calls).onTimer(payload);
        } catch (JingneiException e) {
            return calls.refused(Functions.IndexBuild.SPEC, id, e);
        }
        return calls.indexBuild(Caller.platform(), request, id);
    }

    private static IndexBuildTrigger trigger(FunctionCalls calls) {
        return IndexBuildTrigger.of(calls.instance().ragConfig);
    }
}
