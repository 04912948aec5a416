package io.jingnei.core.llm;

import io.jingnei.core.call.CallTrace;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * OpenAI-compatible upstreams as one client. Bodies and answers are the OpenAI wire format, passed
 * through as JSON trees so fields we do not know about survive. Failures are
 * {@link io.jingnei.core.error.JingneiException}s; failover and retries happen inside, and a stream
 * is never retried once it has emitted. Callbacks may run on the HTTP client's I/O threads.
 */
public interface LlmClient {

    /** {@code POST /chat/completions} without streaming; completes with the response object. */
    CompletableFuture<ObjectNode> complete(ObjectNode body, CallTrace trace);

    /**
     * {@code POST /chat/completions} with {@code stream: true}; emits each chunk object, then
     * completes at {@code [DONE]}. Cancelling the subscription aborts the upstream request. The
     * request starts on subscribe; subscribe once.
     */
    Flow.Publisher<ObjectNode> stream(ObjectNode body, CallTrace trace);

    /** {@code POST /embeddings}: the OpenAI embeddings response object. */
    CompletableFuture<ObjectNode> embeddings(ObjectNode body);

    /** {@code GET /models} of one upstream: the OpenAI list object. */
    CompletableFuture<ObjectNode> listModels(Upstream upstream);
}
