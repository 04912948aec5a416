package io.jingnei.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.chat.ChatRequests;
import io.jingnei.core.llm.CallContext;
import io.jingnei.core.llm.ErrorKind;
import io.jingnei.core.llm.LlmException;
import io.jingnei.core.rag.IndexBuildRequest;
import io.jingnei.core.rag.RagRequest;
import io.jingnei.core.request.RequestBodies;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Gives Funqy functions proper HTTP statuses: a {@link FailedResult} is written with its status,
 * and a body Funqy could not bind (it answers a bare 400) is read again by the core's own reader
 * to say what is wrong with it.
 */
@ApplicationScoped
public class FunctionErrors {
    /** Per function path, the core reader whose exception explains a body Funqy rejected. */
    private static final Map<String, Consumer<byte[]>> READERS = Map.of(
            "/chat", ChatRequests::parse,
            "/rag-query", body -> RequestBodies.read(body, RagRequest.class),
            "/index-build", body -> RequestBodies.read(body, IndexBuildRequest.class),
            "/faq-batch", body -> RequestBodies.read(body, io.jingnei.core.batch.FaqBatchRequest.class));

    @Inject
    ObjectMapper json;
    @Inject
    JingneiInstance jingnei;

    void register(@Observes Router router) {
        router.route().order(-100).failureHandler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        FailedResult failed = failedResult(ctx.failure());
        if (failed != null) {
            JsonReplies.write(json, ctx, failed.httpStatus, failed.body);
            return;
        }
        Consumer<byte[]> reader = READERS.get(ctx.normalizedPath());
        if (ctx.statusCode() == 400 && ctx.request().method() == HttpMethod.POST && reader != null) {
            LlmException reason = explain(reader, ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
            CallContext call = RequestContexts.of(ctx, ctx.normalizedPath().substring(1), null);
            jingnei.completions().rejected(call, null, reason);
            JsonReplies.failure(json, ctx, reason, call.requestId);
            return;
        }
        ctx.next();
    }

    /** Funqy wraps what a function throws in its ApplicationException. */
    private static FailedResult failedResult(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FailedResult) {
                return (FailedResult) t;
            }
        }
        return null;
    }

    private static LlmException explain(Consumer<byte[]> reader, byte[] body) {
        try {
            reader.accept(body);
            return new LlmException(ErrorKind.INVALID_REQUEST, "request body does not fit this function");
        } catch (LlmException e) {
            return e;
        }
    }
}
