package io.jingnei.core.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.batch.BatchException;
import io.jingnei.core.batch.BatchSummary;
import io.jingnei.core.batch.BoundedMapper;
import io.jingnei.core.batch.ExecutorMapper;
import io.jingnei.core.batch.FaqBatchRequest;
import io.jingnei.core.storage.ObjectStoreException;
import io.jingnei.core.chat.ChatRequests;
import io.jingnei.core.chat.ChatResult;
import io.jingnei.core.llm.CallContext;
import io.jingnei.core.llm.LlmException;
import io.jingnei.core.rag.IndexBuildRequest;
import io.jingnei.core.rag.IndexBuildService;
import io.jingnei.core.rag.RagRequest;
import io.jingnei.core.rag.RagResult;
import io.jingnei.core.rag.RagService;
import io.jingnei.core.request.RequestBodies;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The functions as plain calls, body bytes in and {@link Reply} out, for the platforms' built-in
 * runtimes (one request per instance, so waiting is fine). Adapters only translate events to and
 * from these calls.
 */
public final class FunctionCalls {
    private static final long WAIT_SECONDS = 900;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JingneiInstance instance;
    private final BoundedMapper mapper;

    /** With a pool of threads for faq-batch's bounded concurrency. */
    public FunctionCalls(JingneiInstance instance) {
        this(instance, new ExecutorMapper());
    }

    public FunctionCalls(JingneiInstance instance, BoundedMapper mapper) {
        this.instance = instance;
        this.mapper = mapper;
    }

    public JingneiInstance instance() {
        return instance;
    }

    public Reply chat(byte[] body, String requestId) {
        CallContext ctx = new CallContext(requestId, "chat", null);
        try {
            ChatResult result = await(instance.chat().chat(ChatRequests.parse(body), ctx));
            return new Reply(result.httpStatus, result);
        } catch (LlmException e) {
            instance.completions().rejected(ctx, null, e);
            return Reply.failure(e.kind().httpStatus, e.kind().status, e.getMessage(), ctx.requestId);
        }
    }

    public Reply ragQuery(byte[] body, String requestId) {
        try {
            return ragQuery(RequestBodies.read(body, RagRequest.class), requestId);
        } catch (LlmException e) {
            instance.completions().rejected(new CallContext(requestId, "rag-query", null), null, e);
            return Reply.failure(e.kind().httpStatus, e.kind().status, e.getMessage(), requestId);
        }
    }

    /** Blocks while the question is embedded and answered: call from a worker thread. */
    public Reply ragQuery(RagRequest request, String requestId) {
        CallContext ctx = new CallContext(requestId, "rag-query", null);
        try {
            RagResult result = await(awaitRag().query(request, ctx));
            return new Reply(result.httpStatus, result);
        } catch (LlmException e) {
            return Reply.failure(e.kind().httpStatus, e.kind().status, e.getMessage(), ctx.requestId);
        } catch (RagUnavailable e) {
            return Reply.failure(503, "index_unavailable", e.getMessage(), ctx.requestId);
        }
    }

    /** Blocks for the whole build: call from a worker thread. */
    public Reply indexBuild(IndexBuildRequest request, String requestId) {
        CallContext ctx = new CallContext(requestId, "index-build", null);
        try {
            IndexBuildService.Outcome outcome = new IndexBuildService(instance.store(), instance.ragConfig(), instance.log())
                    .build(request, awaitRag(), ctx);
            return new Reply(outcome.httpStatus, outcome);
        } catch (RagUnavailable e) {
            return Reply.failure(503, "embedding_error", e.getMessage(), ctx.requestId);
        }
    }

    /** An object-created event: a batch for the object, unless it lies outside the input prefix (our own answers). */
    public Reply faqBatchOnObject(String scheme, String bucket, String key, String requestId) {
        String plainKey = key.replaceFirst("^/", "");
        if (!instance.batch().isInput(plainKey)) {
            Map<String, Object> skipped = new LinkedHashMap<>();
            skipped.put("status", "skipped");
            skipped.put("reason", plainKey + " is not under the input prefix " + instance.batchLimits().inputPrefix);
            return new Reply(200, skipped);
        }
        return faqBatch(new FaqBatchRequest(scheme + "://" + bucket + "/" + plainKey, null), requestId);
    }

    /**
     * An event-function invocation on FC, by its documented shape: OSS object-created
     * ({@code events[0].oss}), timer ({@code triggerTime} and {@code payload}), or a direct
     * {@code {input, output?}}. Shared by the java11 handler and the custom runtime's /invoke.
     */
    public Reply faqBatchOnFcEvent(byte[] eventBytes, String requestId) {
        JsonNode event;
        try {
            event = JSON.readTree(eventBytes == null ? new byte[0] : eventBytes);
        } catch (java.io.IOException e) {
            return Reply.failure(400, "invalid_request", "the event is not valid JSON", requestId);
        }
        JsonNode oss = event == null ? null : event.path("events").path(0).path("oss");
        if (oss != null && oss.isObject()) {
            return faqBatchOnObject("oss", oss.path("bucket").path("name").asText(), oss.path("object").path("key").asText(), requestId);
        }
        if (event != null && event.has("triggerTime") && event.has("payload")) {
            return faqBatchOnTimer(event.path("payload").asText(), requestId);
        }
        if (event != null && event.path("input").isTextual()) {
            return faqBatch(new FaqBatchRequest(event.path("input").asText(), event.path("output").asText(null)), requestId);
        }
        return Reply.failure(400, "invalid_request", "unsupported event: expected an OSS object-created event, a timer event or {\"input\": ...}", requestId);
    }

    /** A timer: its payload names the input, {@code {"input": "...", "output"?: "..."}}. */
    public Reply faqBatchOnTimer(String payload, String requestId) {
        try {
            JsonNode node = JSON.readTree(payload == null ? "" : payload);
            if (node == null || !node.path("input").isTextual()) {
                return Reply.failure(400, "invalid_request", "the timer payload must be JSON like {\"input\": \"faq-batch/in/nightly.jsonl\"}", requestId);
            }
            return faqBatch(new FaqBatchRequest(node.path("input").asText(), node.path("output").asText(null)), requestId);
        } catch (java.io.IOException e) {
            return Reply.failure(400, "invalid_request", "the timer payload is not valid JSON", requestId);
        }
    }

    public Reply faqBatch(FaqBatchRequest request, String requestId) {
        CallContext ctx = new CallContext(requestId, "faq-batch", null);
        if (request == null) {
            return Reply.failure(400, "invalid_request", "field 'input' (the questions' object URI) is required", ctx.requestId);
        }
        try {
            BatchSummary summary = instance.batch().run(request, awaitRag(), ctx, mapper);
            return new Reply(200, summary);
        } catch (BatchException e) {
            return Reply.failure(400, "invalid_request", e.getMessage(), ctx.requestId);
        } catch (ObjectStoreException e) {
            return Reply.failure(e.reason() == ObjectStoreException.Reason.NOT_FOUND ? 404
                    : e.reason() == ObjectStoreException.Reason.ACCESS_DENIED ? 403 : 502, "storage_error", e.getMessage(), ctx.requestId);
        } catch (RagUnavailable e) {
            return Reply.failure(503, "index_unavailable", e.getMessage(), ctx.requestId);
        }
    }

    /** The RAG runtime, waiting for model and index if they are still loading. */
    public RagService awaitRag() {
        try {
            return instance.rag().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new RagUnavailable("RAG could not start: " + rootMessage(e));
        } catch (TimeoutException e) {
            throw new RagUnavailable("RAG did not start within " + WAIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RagUnavailable("interrupted while RAG was starting");
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw LlmException.from(e.getCause());
        } catch (TimeoutException e) {
            throw new LlmException(io.jingnei.core.llm.ErrorKind.TIMEOUT, "the call did not finish within " + WAIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException(io.jingnei.core.llm.ErrorKind.UPSTREAM_ERROR, "interrupted");
        }
    }

    static String rootMessage(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** RAG could not start; the message says why. */
    public static final class RagUnavailable extends RuntimeException {
        RagUnavailable(String message) {
            super(message, null, false, false);
        }
    }
}
