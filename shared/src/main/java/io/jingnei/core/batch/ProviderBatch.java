package io.jingnei.core.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.call.Metering;
import io.jingnei.core.llm.BatchEndpoint;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.llm.Router;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.log.CallRecord;
import io.jingnei.core.pii.BodyMasking;
import io.jingnei.core.pii.PiiPolicy;
import io.jingnei.core.pricing.BatchPrices;
import io.jingnei.core.pricing.Cost;
import io.jingnei.core.pricing.Usage;
import io.jingnei.core.rag.RagRequest;
import io.jingnei.core.rag.RagResult;
import io.jingnei.core.rag.RagService;
import io.jingnei.core.rag.Retrieval;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.storage.ObjectStoreException;
import io.jingnei.core.util.Json;
import io.jingnei.core.util.TimeSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * faq-batch in batch mode: the run is planned as in real time (dedupe, earlier answers, retrieval,
 * the no-context answer without an LLM), the questions that need the LLM go to the provider's
 * Batch API as one file of masked requests per part, and the call returns at once. The same
 * request repeated (HTTP, or the platform's next timer or object event) advances the run: it
 * reports the provider's progress, and once every part has finished it writes the output and
 * summary exactly as a real-time run does. No function waits for the provider.
 *
 * <p>Exactly one submission: the state file is created only if absent, so of two pollers one
 * submits and the other reports; a submission left half done (an instance killed between upload and
 * batch creation) is taken over once its lease has passed, by one poller (a create-only takeover
 * marker), which adopts a batch the provider already made for the uploaded file instead of making
 * another. Blocks: call on a worker.
 */
final class ProviderBatch {
    private static final ObjectMapper JSON = Json.mapper();

    private final ObjectStore store;
    private final BatchLimits limits;
    private final Router router;
    private final PiiPolicy pii;
    private final BatchAnswers answers;
    private final Metering metering;
    private final CallLog log;
    private final TimeSource time;
    private final String defaultModel;

    ProviderBatch(ObjectStore store, BatchLimits limits, Router router, PiiPolicy pii, BatchPrices prices, Metering metering,
                  CallLog log, TimeSource time, String defaultModel) {
        this.defaultModel = defaultModel;
        this.store = store;
        this.limits = limits;
        this.router = router;
        this.pii = pii;
        this.answers = new BatchAnswers(pii, prices);
        this.metering = metering;
        this.log = log;
        this.time = time;
    }

    /**
     * Submits, follows or collects the run; a {@link BatchSummary} once collected, else a
     * {@link BatchProgress}. The plan is made after the state is read: a run collected by another
     * instance wrote its answers before it marked itself done, so they are seen and not asked again.
     */
    Object advance(URI output, Supplier<BatchPlan> planner, RagService rag, CallContext ctx, boolean cancel,
                   long startNanos) {
        URI stateUri = BatchState.uriFor(output);
        BatchState state = read(stateUri);
        BatchPlan plan = planner.get();
        if (state == null || BatchState.DONE.equals(state.status)) {
            if (cancel) {
                throw new BatchException("no provider batch is pending for " + plan.output + ": nothing to cancel");
            }
            return submit(plan, rag, ctx, stateUri, state, startNanos);
        }
        BatchEndpoint api = router.batches(state.upstream, state.key);
        if (!state.allSubmitted()) {
            if (!takeOver(stateUri, state)) {
                return BatchProgress.of(plan, state, "submitting", "another instance is submitting this run");
            }
            finishSubmission(api, stateUri, state);
        }
        if (cancel) {
            for (BatchState.Part part : state.parts) {
                if (!part.finished()) {
                    ObjectNode batch = FaqBatch.join(api.cancel(part.batchId));
                    part.status = batch.path("status").asText(part.status);
                }
            }
            save(stateUri, state);
            return BatchProgress.of(plan, state, "cancelling", null);
        }
        for (BatchState.Part part : state.parts) {
            if (!part.finished()) {
                follow(part, FaqBatch.join(api.retrieve(part.batchId)));
            }
        }
        if (!state.allFinished()) {
            save(stateUri, state);
            return BatchProgress.of(plan, state, "in_progress", null);
        }
        return collect(plan, api, ctx, stateUri, state, startNanos);
    }

    // ---- submission

    private Object submit(BatchPlan plan, RagService rag, CallContext ctx, URI stateUri, BatchState previous, long startNanos) {
        BatchState state = new BatchState();
        state.run = UUID.randomUUID().toString();
        state.version = plan.version;
        state.model = defaultModel;
        BatchEndpoint api = router.batches(state.model);
        state.upstream = api.upstreamName();
        state.key = api.keyNumber();
        List<Map.Entry<String, String>> lines = new ArrayList<>();
        int answeredNow = requestLines(plan, rag, ctx, api, state, lines);
        plan.cache.flush();
        if (lines.isEmpty()) {
            // Everything was answered already (an earlier run, the cache, retrieval alone): no batch at all.
            return BatchReport.write(store, plan, Map.of(), 0, 0, time, startNanos, "batch", List.of());
        }
        BatchParts.write(store, limits, plan.output, state, lines);
        state.status = BatchState.SUBMITTING;
        state.updatedAt = time.currentTimeMillis();
        boolean first = previous == null
                ? FaqBatch.join(store.putIfAbsent(stateUri, state.bytes(), "application/json"))
                : replaceDone(stateUri, previous, state);
        if (!first) {
            BatchState other = read(stateUri);
            return BatchProgress.of(plan, other == null ? state : other, "submitting", "another instance is submitting this run");
        }
        finishSubmission(api, stateUri, state);
        log.write(new CallRecord(ctx.requestId, "faq-batch", state.model, ctx.userId, "submitted").put("mode", "batch")
                .put("batch_ids", state.batchIds()).put("requests", state.requests.size()).put("answered_without_llm", answeredNow)
                .put("upstream", state.upstream));
        return BatchProgress.of(plan, state, "submitted", null);
    }

    /**
     * The batch request line of each question that needs the LLM (masked, with what is needed to
     * restore and cite its answer kept in the state); a question answered without an LLM (no
     * context, no LLM configured) is answered at once. Returns how many were answered at once.
     */
    private int requestLines(BatchPlan plan, RagService rag, CallContext ctx, BatchEndpoint api, BatchState state,
                             List<Map.Entry<String, String>> lines) {
        int answeredNow = 0;
        for (Map.Entry<String, Question> entry : plan.toAsk) {
            Question q = entry.getValue();
            CallContext call = ctx.forFunction("faq-batch", ctx.requestId + "-" + q.line);
            Retrieval found;
            try {
                found = FaqBatch.join(rag.retrieve(new RagRequest(q.text, null, null, null, q.userId, null, null), call));
            } catch (JingneiException refused) {
                continue; // a bad question fails on its own line at collection, and is asked again by the next run
            }
            if (found.empty() || !rag.llmConfigured()) {
                // The fixed no-context answer or an extract: no LLM, so nothing to send.
                RagResult result = FaqBatch.join(rag.answer(found));
                plan.cache.keep(entry.getKey(), BatchAsker.answerOf(result));
                answeredNow++;
                continue;
            }
            ObjectNode body = rag.requestBody(found);
            BodyMasking masking = BodyMasking.apply(pii, body);
            body.put("model", api.upstreamModel(body.path("model").asText()));
            ObjectNode line = JSON.createObjectNode();
            line.put("custom_id", entry.getKey());
            line.put("method", "POST");
            line.put("url", BatchEndpoint.CHAT_ENDPOINT);
            line.set("body", body);
            lines.add(Map.entry(entry.getKey(), line.toString()));
            BatchState.Request request = new BatchState.Request();
            request.sources = JSON.valueToTree(found.sources);
            request.restore = masking.masked() ? masking.restorable() : null;
            state.requests.put(entry.getKey(), request);
        }
        for (Question q : plan.questions) {
            if (q.problem == null) {
                BatchState.Request request = state.requests.get(BatchPlan.key(q.text, plan.version));
                if (request != null) {
                    request.lines.add(q.line);
                }
            }
        }
        return answeredNow;
    }

    /** A finished run's state is replaced by the next run's only by the instance that claims it first. */
    private boolean replaceDone(URI stateUri, BatchState done, BatchState next) {
        if (!FaqBatch.join(store.putIfAbsent(URI.create(stateUri + ".next-" + done.run), next.run.getBytes(StandardCharsets.UTF_8), "text/plain"))) {
            return false;
        }
        save(stateUri, next);
        return true;
    }

    /** Uploads and creates what is not yet uploaded or created, saving the state after each step. */
    private void finishSubmission(BatchEndpoint api, URI stateUri, BatchState state) {
        for (BatchState.Part part : state.parts) {
            if (part.fileId == null) {
                byte[] requests = FaqBatch.join(store.get(URI.create(part.requests))).bytes;
                part.fileId = FaqBatch.join(api.upload("jingnei-" + state.run + "-" + part.part + ".jsonl", requests));
                save(stateUri, state);
            }
            if (part.batchId == null) {
                JsonNode made = adopted(api, part.fileId);
                if (made == null) {
                    made = FaqBatch.join(api.create(part.fileId, Map.of("jingnei_run", state.run, "part", String.valueOf(part.part))));
                }
                part.batchId = made.path("id").asText();
                follow(part, made);
                save(stateUri, state);
            }
        }
        state.status = BatchState.SUBMITTED;
        save(stateUri, state);
    }

    /** A batch the provider already made for this file: created just before a crash that lost its id. */
    private static JsonNode adopted(BatchEndpoint api, String fileId) {
        for (JsonNode batch : FaqBatch.join(api.recent())) {
            if (fileId.equals(batch.path("input_file_id").asText())) {
                return batch;
            }
        }
        return null;
    }

    /** Whether this instance may carry on a submission: its lease has run out and no other took it over first. */
    private boolean takeOver(URI stateUri, BatchState state) {
        if (time.currentTimeMillis() - state.updatedAt < limits.batchLease.toMillis()) {
            return false;
        }
        URI marker = URI.create(stateUri + ".takeover-" + state.updatedAt);
        return FaqBatch.join(store.putIfAbsent(marker, state.run.getBytes(StandardCharsets.UTF_8), "text/plain"));
    }

    // ---- following and collecting

    private static void follow(BatchState.Part part, JsonNode batch) {
        part.status = batch.path("status").asText(part.status);
        part.requestCounts = batch.path("request_counts").isObject() ? batch.get("request_counts") : part.requestCounts;
        part.outputFileId = batch.path("output_file_id").isTextual() ? batch.path("output_file_id").asText() : part.outputFileId;
        part.errorFileId = batch.path("error_file_id").isTextual() ? batch.path("error_file_id").asText() : part.errorFileId;
    }

    private BatchSummary collect(BatchPlan plan, BatchEndpoint api, CallContext ctx, URI stateUri, BatchState state, long startNanos) {
        Map<String, ObjectNode> byRequest = new HashMap<>();
        int llmCalls = 0;
        for (BatchState.Part part : state.parts) {
            Map<String, JsonNode> lines = BatchAnswers.resultLines(api, part);
            for (String customId : part.customIds) {
                ObjectNode answer = answers.answerOf(lines.get(customId), state.requests.get(customId), part.status, state.model);
                if (BatchAnswers.answered(answer)) {
                    llmCalls++;
                    CallContext call = ctx.forFunction("faq-batch", ctx.requestId + "-" + customId.substring(0, 8));
                    metering.charge(call, Usage.fromJson(answer.get("usage")),
                            new Cost(answer.path("cost").path("usd").decimalValue(), answer.path("cost").path("cny").decimalValue()));
                }
                byRequest.put(customId, answer);
            }
        }
        // Answers go to the lines they were asked for, under today's keys: the index may have been
        // rebuilt (a new version, new keys) while the provider worked.
        Map<Integer, String> requestOfLine = new HashMap<>();
        state.requests.forEach((customId, request) -> request.lines.forEach(line -> requestOfLine.put(line, customId)));
        Map<String, ObjectNode> fresh = new HashMap<>();
        for (Map.Entry<String, Question> asked : plan.toAsk) {
            String customId = requestOfLine.get(asked.getValue().line);
            ObjectNode answer = customId == null ? null : byRequest.get(customId);
            if (answer == null) {
                // Not sent (its retrieval failed, or the input changed since): for the next run.
                answer = BatchAnswers.failure("pending", "not answered by this run's provider batch: the next run asks it");
            } else if (BatchAnswers.answered(answer)) {
                plan.cache.keep(asked.getKey(), answer);
            }
            fresh.put(asked.getKey(), answer);
        }
        plan.cache.flush();
        BatchSummary summary = BatchReport.write(store, plan, fresh, llmCalls, 0, time, startNanos, "batch", state.batchIds());
        state.status = BatchState.DONE;
        save(stateUri, state);
        log.write(new CallRecord(ctx.requestId, "faq-batch", state.model, ctx.userId, "success").put("mode", "batch")
                .put("batch_ids", state.batchIds()).put("questions", plan.questions.size()).put("llm_calls", llmCalls)
                .put("cost_usd", summary.costUsd).put("output", plan.output.toString()));
        return summary;
    }

    // ---- state

    private BatchState read(URI stateUri) {
        try {
            return BatchState.parse(FaqBatch.join(store.get(stateUri)).bytes, stateUri);
        } catch (ObjectStoreException e) {
            if (e.reason() == ObjectStoreException.Reason.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    private void save(URI stateUri, BatchState state) {
        state.updatedAt = time.currentTimeMillis();
        FaqBatch.join(store.put(stateUri, state.bytes(), "application/json"));
    }
}
