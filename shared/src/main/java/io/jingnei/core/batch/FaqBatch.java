package io.jingnei.core.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.limits.Quotas;
import io.jingnei.core.llm.Router;
import io.jingnei.core.pii.PiiPolicy;
import io.jingnei.core.pricing.BatchPrices;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.log.CallRecord;
import io.jingnei.core.rag.RagPrompt;
import io.jingnei.core.rag.RagService;
import io.jingnei.core.storage.GuardedStore;
import io.jingnei.core.storage.StorageWait;
import io.jingnei.core.storage.StorageAllowList;
import io.jingnei.core.storage.StorageUris;
import io.jingnei.core.util.Hashing;
import io.jingnei.core.util.TimeSource;

import java.time.Duration;
import java.math.BigDecimal;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * {@code faq-batch}: answers a file of questions through the rag-query path and writes a file of
 * answers, in three steps: plan ({@link BatchPlan}: read, deduplicate, look up earlier answers),
 * ask ({@link BatchAsker}: bounded concurrency, checkpointed answers), report ({@link BatchReport}).
 * A re-run makes no new LLM calls and a crashed run resumes where it stopped. The store given here
 * is the allow-listed one: every URI the batch touches was allowed for it.
 */
public final class FaqBatch {
    private final GuardedStore store;
    private final BatchLimits limits;
    private final CallLog log;
    private final String defaultModel;
    private final Quotas quotas;
    private final ProviderBatch providerBatch;
    private final TimeSource time;

    public FaqBatch(GuardedStore store, BatchLimits limits, CallLog log, String defaultModel, Quotas quotas, Router router,
                    PiiPolicy pii, BatchPrices batchPrices, TimeSource time) {
        this.store = store;
        this.limits = limits;
        this.log = log;
        this.defaultModel = defaultModel;
        this.quotas = quotas;
        this.time = time;
        this.providerBatch = new ProviderBatch(store, limits, router, pii, batchPrices, quotas, log, time, defaultModel);
    }

    public BatchLimits limits() {
        return limits;
    }

    /** Resolves a relative input ("faq-batch/in/x.jsonl") against JINGNEI_FAQ_BASE_URI. */
    public URI resolve(String input) {
        if (input == null || input.isBlank()) {
            throw new BatchException("field 'input' (the questions' object URI) is required");
        }
        if (input.contains("://") || input.startsWith("file:") || input.startsWith("/")) {
            return StorageUris.parse(input);
        }
        if (limits.baseUri.isEmpty()) {
            throw new BatchException("'" + input + "' is relative: set JINGNEI_FAQ_BASE_URI (e.g. oss://my-bucket/) or give a full URI");
        }
        return StorageUris.parse(limits.baseUri.endsWith("/") ? limits.baseUri + input : limits.baseUri + "/" + input);
    }

    /** Whether an object-created event is for us: the key must lie under the input prefix (answers are not). */
    public boolean isInput(String key) {
        return key.replaceFirst("^/", "").startsWith(limits.inputPrefix);
    }

    /**
     * The faq-batch function: a whole run in real time ({@link BatchSummary}), or in batch mode one
     * step of a provider batch ({@link BatchProgress} until it is collected, then its summary).
     * Blocks (call on a worker).
     */
    public Object call(FaqBatchRequest request, RagService rag, CallContext ctx, BoundedMapper mapper) {
        String mode = request.mode == null ? limits.mode : request.mode.trim().toLowerCase(java.util.Locale.ROOT);
        if (mode.equals("realtime") && !request.cancel) {
            return run(request, rag, ctx, mapper);
        }
        if (!mode.equals("batch")) {
            throw new BatchException(request.cancel ? "'cancel' applies to a pending provider batch: send it with \"mode\": \"batch\""
                    : "field 'mode' is realtime or batch, got '" + request.mode + "'");
        }
        long start = time.nanoTime();
        try {
            URI input = resolve(request.input);
            store.allowList().check(input, StorageAllowList.Access.READ);
            URI output = OutputLocation.outputFor(input, request.output);
            store.allowList().check(output, StorageAllowList.Access.WRITE);
            String version = cacheVersion(rag);
            return providerBatch.advance(output, () -> BatchPlan.make(store, limits, input, output, version), rag, ctx, request.cancel, start);
        } catch (RuntimeException e) {
            JingneiException failure = JingneiException.from(e);
            log.write(new CallRecord(ctx.requestId, "faq-batch", defaultModel, ctx.userId, failure.kind().status).put("mode", "batch")
                    .put("error", failure.getMessage()).put("latency_ms", (time.nanoTime() - start) / 1_000_000).stack(failure));
            throw failure;
        }
    }

    /** Runs a whole batch in real time; blocks (call on a worker). Failures of single questions are reported in their lines. */
    public BatchSummary run(FaqBatchRequest request, RagService rag, CallContext ctx, BoundedMapper mapper) {
        long start = time.nanoTime();
        try {
            URI input = resolve(request.input);
            // Outside the allow-list is refused before anything else is said about the object.
            store.allowList().check(input, StorageAllowList.Access.READ);
            URI output = OutputLocation.outputFor(input, request.output);
            store.allowList().check(output, StorageAllowList.Access.WRITE);
            BatchPlan plan = BatchPlan.make(store, limits, input, output, cacheVersion(rag));
            BatchAsker asker = new BatchAsker();
            asker.ask(plan, rag, quotas, ctx, mapper, limits.concurrency);
            BatchSummary result = BatchReport.write(store, plan, asker, time, start);
            log.write(new CallRecord(ctx.requestId, "faq-batch", defaultModel, ctx.userId, "success")
                    .put("questions", plan.questions.size()).put("llm_calls", asker.llmCalls.get()).put("cache_hits", asker.cacheHits.get())
                    .put("cost_usd", result.costUsd).put("latency_ms", result.durationMs).put("output", output.toString()));
            return result;
        } catch (RuntimeException e) {
            JingneiException failure = JingneiException.from(e);
            log.write(new CallRecord(ctx.requestId, "faq-batch", defaultModel, ctx.userId, failure.kind().status)
                    .put("error", failure.getMessage()).put("latency_ms", (time.nanoTime() - start) / 1_000_000).stack(failure));
            throw failure;
        }
    }

    private String cacheVersion(RagService rag) {
        return defaultModel + "|" + rag.index().version() + "|" + Hashing.sha256Hex(RagPrompt.DEFAULT_SYSTEM_PROMPT).substring(0, 12);
    }

    /** Waits for a storage call from the batch's own thread; its failure keeps its kind and cause. */
    static <T> T join(CompletableFuture<T> future) {
        return StorageWait.join(future, Duration.ofMinutes(5));
    }

    static BigDecimal decimal(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? BigDecimal.ZERO : node.decimalValue();
    }
}
