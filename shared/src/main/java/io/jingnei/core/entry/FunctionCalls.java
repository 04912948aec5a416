package io.jingnei.core.entry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.batch.BoundedMapper;
import io.jingnei.core.batch.ExecutorMapper;
import io.jingnei.core.batch.FaqBatchRequest;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.call.CallEstimate;
import io.jingnei.core.chat.ChatRequest;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.llm.TokenEstimate;
import io.jingnei.core.call.CallTrace;
import io.jingnei.core.rag.IndexBuildRequest;
import io.jingnei.core.rag.IndexBuildService;
import io.jingnei.core.rag.IndexBuilder;
import io.jingnei.core.rag.RagRequest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * The functions as plain calls, for every adapter: the web function's routes, the FC and SCF
 * built-in runtimes, reached through the table, {@link Functions} (HTTP triggers through
 * {@link HttpTriggers}, platform events through the table's event calls). Each call decides access first (a public function authenticates the caller,
 * an admin function wants an admin key, a platform event needs neither but obeys the storage
 * allow-list), then runs, and answers a {@link Reply} from the one error table. Nothing here holds
 * a thread while waiting on an LLM; blocking jobs (index builds, batches) run on the instance's job
 * threads. The built-in runtimes, one request per instance, simply wait on the future.
 */
public final class FunctionCalls {
    private final JingneiInstance instance;
    /** faq-batch's bounded concurrency, on every platform: a pool of threads per batch. */
    private final BoundedMapper mapper = new ExecutorMapper();

    public FunctionCalls(JingneiInstance instance) {
        this.instance = instance;
    }

    public JingneiInstance instance() {
        return instance;
    }

    public CompletableFuture<Reply> chat(Caller caller, ChatRequest request, String requestId) {
        return chat(caller, request, requestId, new CallTrace());
    }

    /** @param trace the adapter's: {@link CallTrace#cancel} when the caller goes away aborts the upstream call */
    public CompletableFuture<Reply> chat(Caller caller, ChatRequest request, String requestId, CallTrace trace) {
        CallContext ctx = new CallContext(requestId, "chat", caller, trace);
        return guard(ctx, instance.quotas.releasingWhenDone(ctx, admit(ctx, chatEstimate(request))
                .thenCompose(ok -> instance.chat().chat(request, ctx))).thenApply(result -> new Reply(result.httpStatus, result)));
    }

    /** {@code /chat-stream}: fails before the stream (bad input, a limit, a missing model); never cut once it runs. */
    public CompletableFuture<Flow.Publisher<ObjectNode>> chatStream(Caller caller, ChatRequest request, String requestId) {
        CallContext ctx = new CallContext(requestId, "chat-stream", caller);
        return instance.quotas.releasingAtEnd(ctx, admit(ctx, chatEstimate(request))
                .thenCompose(ok -> instance.chat().chatStream(request, ctx)));
    }

    public CompletableFuture<Reply> ragQuery(Caller caller, RagRequest request, String requestId) {
        return ragQuery(caller, request, requestId, new CallTrace());
    }

    /** @param trace the adapter's: {@link CallTrace#cancel} when the caller goes away aborts the upstream call */
    public CompletableFuture<Reply> ragQuery(Caller caller, RagRequest request, String requestId, CallTrace trace) {
        CallContext ctx = new CallContext(requestId, "rag-query", caller, trace);
        return guard(ctx, instance.quotas.releasingWhenDone(ctx, admit(ctx, ragEstimate(request))
                .thenCompose(ok -> instance.rag()).thenCompose(rag -> rag.query(request, ctx))).thenApply(result -> new Reply(result.httpStatus, result)));
    }

    /**
     * {@code /rag-stream}: sources, then the answer's chunks, then a final event; from rag-query's
     * answer cache when it holds the answer. Fails before the stream for bad input, a limit, or an
     * index that cannot be searched; never cut once it runs.
     */
    public CompletableFuture<Flow.Publisher<ObjectNode>> ragStream(Caller caller, RagRequest request, String requestId) {
        CallContext ctx = new CallContext(requestId, "rag-stream", caller);
        return instance.quotas.releasingAtEnd(ctx, admit(ctx, ragEstimate(request))
                .thenCompose(ok -> instance.rag())
                .thenCompose(rag -> RagStreams.of(rag, instance.completions(), request, ctx)));
    }

    private CallEstimate chatEstimate(ChatRequest request) {
        return request == null ? CallEstimate.of(null, 0, null)
                : TokenEstimate.ofChat(request.model, request.query, request.history, request.systemPrompt, request.maxTokens);
    }

    private CallEstimate ragEstimate(RagRequest request) {
        return request == null ? CallEstimate.of(null, 0, null)
                : TokenEstimate.ofRag(request.model, request.query, request.history, request.systemPrompt);
    }

    /** The caller's limits, before any work; a refusal is logged here. */
    private CompletableFuture<Void> admit(CallContext ctx, CallEstimate estimate) {
        return instance.quotas.admit(ctx, estimate).whenComplete((ok, error) -> {
            if (error != null) {
                instance.completions().rejected(ctx, null, JingneiException.from(error));
            }
        });
    }

    /**
     * An admin function: the caller must already be an admin (see {@link io.jingnei.core.auth.Authenticator#requireAdmin}),
     * or the platform itself ({@link IndexBuildEvents}).
     */
    public CompletableFuture<Reply> indexBuild(Caller admin, IndexBuildRequest request, String requestId) {
        CallContext ctx = new CallContext(requestId, "index-build", admin);
        if (admin == null || !admin.admin() && admin.via != Caller.Via.PLATFORM) {
            return rejected("index-build", ctx.requestId, notAdmin());
        }
        return guard(ctx, instance.rag().thenApplyAsync(rag -> {
            IndexBuilder.Result result = new IndexBuildService(instance.guardedStore(), instance.ragConfig, instance.log, instance.time)
                    .build(request, rag, ctx);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "success");
            body.put("result", result);
            body.put("request_id", ctx.requestId);
            return new Reply(200, body);
        }, instance.workers().blocking()));
    }

    /** faq-batch over HTTP (an admin) or from a platform event; blocks a job thread, never an I/O thread. */
    public CompletableFuture<Reply> faqBatch(Caller caller, FaqBatchRequest request, String requestId) {
        CallContext ctx = new CallContext(requestId, "faq-batch", caller);
        if (caller.via != Caller.Via.PLATFORM && !caller.admin()) {
            return rejected("faq-batch", ctx.requestId, notAdmin());
        }
        if (request == null) {
            return rejected("faq-batch", ctx.requestId, new JingneiException(ErrorKind.INVALID_REQUEST,
                    "field 'input' (the questions' object URI) is required"));
        }
        return guard(ctx, instance.rag().thenApplyAsync(rag -> {
            return new Reply(200, instance.batch().call(request, rag, ctx, mapper));
        }, instance.workers().blocking()));
    }

    private static JingneiException notAdmin() {
        return new JingneiException(ErrorKind.FORBIDDEN, "this function needs an admin key (JINGNEI_ADMIN_KEYS)");
    }

    /** Any failure (a bug included) becomes a reply from the error table; the log line was written where it happened. */
    private CompletableFuture<Reply> guard(CallContext ctx, CompletableFuture<Reply> call) {
        return call.exceptionally(error -> {
            JingneiException e = JingneiException.from(error);
            if (e.internal() && !e.stackLogged()) {
                e.markStackLogged();
                instance.log.error("unexpected failure in " + ctx.function, ctx.requestId, e.getCause() == null ? e : e.getCause());
            }
            return Reply.failure(e, ctx.requestId);
        });
    }

    /**
     * A call an adapter refused before the core saw it (an event it cannot read): logged like any
     * refusal, answered from the error table.
     */
    public CompletableFuture<Reply> refused(FunctionSpec<?> function, String requestId, JingneiException e) {
        return rejected(function.name, CallContext.acceptRequestId(requestId), e);
    }

    /** A refusal before the call ran: logged as the function's, answered from the error table. */
    CompletableFuture<Reply> rejected(String function, String requestId, JingneiException e) {
        instance.completions().rejected(new CallContext(requestId, function, null), null, e);
        return done(Reply.failure(e, requestId));
    }

    static CompletableFuture<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
