package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.call.CallTrace;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.log.CallRecord;
import io.jingnei.core.pricing.Cost;
import io.jingnei.core.pricing.PriceTable;
import io.jingnei.core.pricing.Usage;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.call.Metering;
import io.jingnei.core.pii.BodyMasking;
import io.jingnei.core.pii.PiiPolicy;
import io.jingnei.core.pii.StreamedRestore;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.stream.ObservedPublisher;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * Every LLM call goes through here: default model, model check, caller's user id, the call, cost,
 * and one log line. Chat, RAG and the OpenAI-compatible surface differ only in the body they build.
 */
public final class Completions {
    private final LlmClient llm;
    private final ModelCatalog catalog;
    private final PriceTable prices;
    private final CallLog log;
    private final String defaultModel;
    private final boolean logPrompts;
    private final PiiPolicy pii;
    private volatile Metering metering = Metering.NONE;

    public Completions(LlmClient llm, ModelCatalog catalog, PriceTable prices, CallLog log, String defaultModel, boolean logPrompts,
                       PiiPolicy pii) {
        this.llm = llm;
        this.catalog = catalog;
        this.prices = prices;
        this.log = log;
        this.defaultModel = defaultModel;
        this.logPrompts = logPrompts;
        this.pii = pii;
    }

    /** Set once at boot: what each call used is charged to its caller's limits and budgets. */
    public void meterWith(Metering metering) {
        this.metering = metering;
    }

    public PriceTable prices() {
        return prices;
    }

    public PiiPolicy pii() {
        return pii;
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    /**
     * Fails with {@link JingneiException}; the failure is logged here already. Personal information
     * is masked before the body goes upstream and restored in the answer.
     */
    public CompletableFuture<CompletionOutcome> complete(ObjectNode body, CallContext ctx) {
        String model = prepare(body, ctx);
        BodyMasking masking;
        try {
            masking = BodyMasking.apply(pii, body);
        } catch (JingneiException refused) {
            rejected(ctx, model, refused);
            return CompletableFuture.failedFuture(refused);
        }
        String prompt = promptForLog(body);
        Map<String, Integer> masked = masking.counts();
        body.put("stream", false);
        body.remove("stream_options");
        long promptEstimate = TokenEstimate.promptOf(body);
        return catalog.requireKnown(model)
                .thenCompose(ok -> llm.complete(body, ctx.trace))
                .handle((response, error) -> {
                    if (error != null && ctx.trace.cancelled() && cancellation(error)) {
                        return this.<CompletionOutcome>cancelled(model, ctx, promptEstimate, prompt, masked);
                    }
                    if (error != null) {
                        return this.<CompletionOutcome>failed(model, ctx, error, prompt, masked);
                    }
                    masking.unmaskAnswer(response);
                    // The model that answered: a fallback model when the asked one failed everywhere.
                    String answered = response.path("model").asText(model);
                    Usage reported = Usage.fromJson(response.get("usage"));
                    // An answer without usage was still billed upstream: charged an estimate, as a stream without one is.
                    Usage usage = reported != null ? reported : new Usage(promptEstimate, TokenEstimate.ofGenerated(answerChars(response)), 0);
                    Cost cost = prices.cost(answered, usage);
                    CompletionOutcome outcome = new CompletionOutcome(response, answered, usage, cost, ctx.trace.list(), ctx.elapsedMillis(),
                            ctx.trace.upstreamRequestId());
                    metering.charge(ctx, usage, cost);
                    log.write(record(ctx, answered, "success").usage(usage, cost)
                            .put("attempts", outcome.attempts).put("latency_ms", outcome.latencyMs).put("prompt", prompt)
                            .put("pii", masked.isEmpty() ? null : masked)
                            .put("usage_estimated", reported == null ? true : null)
                            .put("unpriced", prices.priceOf(answered).isPresent() ? null : true));
                    return CompletableFuture.completedFuture(outcome);
                })
                .thenCompose(f -> f);
    }

    /** Characters of every choice's answer and tool-call arguments: what an estimate of generated tokens counts. */
    private static int answerChars(JsonNode response) {
        int chars = 0;
        for (JsonNode choice : response.path("choices")) {
            JsonNode message = choice.path("message");
            chars += message.path("content").asText("").length();
            for (JsonNode call : message.path("tool_calls")) {
                chars += call.path("function").path("arguments").asText("").length();
            }
        }
        return chars;
    }

    /**
     * Starts a stream. The future fails before anything is streamed (bad model, missing key); the
     * publisher's chunks carry {@code id, object, created, model, choices}. Usage is always asked
     * for upstream, for our own accounting, and the usage chunk is passed on only when the caller's
     * body asked for it ({@code stream_options.include_usage}) or {@code alwaysUsage} is set.
     */
    public CompletableFuture<Flow.Publisher<ObjectNode>> stream(ObjectNode body, CallContext ctx, boolean alwaysUsage) {
        String model = prepare(body, ctx);
        BodyMasking masking;
        try {
            masking = BodyMasking.apply(pii, body);
        } catch (JingneiException refused) {
            rejected(ctx, model, refused);
            return CompletableFuture.failedFuture(refused);
        }
        String prompt = promptForLog(body);
        boolean callerWantsUsage = alwaysUsage || body.path("stream_options").path("include_usage").asBoolean(false);
        body.put("stream", true);
        // Merged, not replaced: the caller's other stream options (include_obfuscation...) go through.
        JsonNode options = body.get("stream_options");
        ObjectNode merged = options != null && options.isObject() ? (ObjectNode) options : body.putObject("stream_options");
        merged.put("include_usage", true);
        return catalog.requireKnown(model)
                .handle((ok, error) -> {
                    if (error != null) {
                        return this.<Flow.Publisher<ObjectNode>>failed(model, ctx, error, prompt, masking.counts());
                    }
                    StreamAccounting accounting = new StreamAccounting(prices, metering, log, model, ctx, callerWantsUsage, prompt,
                            masking, TokenEstimate.promptOf(body));
                    Flow.Publisher<ObjectNode> accounted = new ObservedPublisher<>(llm.stream(body, ctx.trace), accounting);
                    return CompletableFuture.completedFuture(StreamedRestore.around(accounted, masking));
                })
                .thenCompose(f -> f);
    }

    /** Logs a request refused before any upstream call (bad input, bad credentials, a limit). */
    public void rejected(CallContext ctx, String model, JingneiException reason) {
        log.write(record(ctx, model == null ? defaultModel : model, reason.kind().status)
                .put("attempts", java.util.List.of()).put("latency_ms", ctx.elapsedMillis()).put("error", reason.getMessage())
                .stack(reason));
    }

    /** Default model; the upstream's {@code user} is always the one the call is accounted to, never the body's own. */
    private String prepare(ObjectNode body, CallContext ctx) {
        if (!body.path("model").isTextual() || body.path("model").asText().isBlank()) {
            body.put("model", defaultModel);
        }
        if (ctx.userId != null) {
            body.put("user", ctx.userId);
        } else {
            body.remove("user");
        }
        return body.path("model").asText();
    }

    /** The last user message, only when JINGNEI_LOG_PROMPTS is on; else null, which the log leaves out. */
    private String promptForLog(ObjectNode body) {
        if (!logPrompts) {
            return null;
        }
        String last = null;
        for (JsonNode message : body.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                last = message.path("content").isTextual() ? message.path("content").asText() : message.path("content").toString();
            }
        }
        return last == null || last.length() <= 500 ? last : last.substring(0, 500) + "…";
    }

    private <T> CompletableFuture<T> failed(String model, CallContext ctx, Throwable error, String prompt, Map<String, Integer> masked) {
        JingneiException failure = JingneiException.from(error);
        CompletableFuture<JingneiException> explained = failure.kind() == ErrorKind.MODEL_NOT_FOUND && UpstreamException.statusOf(failure) != 0
                ? catalog.explain(model, failure)
                : CompletableFuture.completedFuture(failure);
        return explained.thenCompose(e -> {
            int upstreamStatus = UpstreamException.statusOf(e);
            log.write(record(ctx, model, e.kind().status)
                    .put("attempts", ctx.trace.list()).put("latency_ms", ctx.elapsedMillis())
                    .put("upstream_status", upstreamStatus == 0 ? null : upstreamStatus)
                    .put("error", e.getMessage()).put("prompt", prompt).put("pii", masked.isEmpty() ? null : masked).stack(e));
            return CompletableFuture.failedFuture(e);
        });
    }

    /**
     * A whole answer whose caller went away: the upstream call was aborted, but an upstream that had
     * the request may still bill its prompt, and nothing reports usage, so the prompt estimate is
     * charged when an attempt was in flight (none when the call had not reached an upstream yet).
     * An answer that came in before the cancel is charged its reported usage on the success path.
     */
    private <T> CompletableFuture<T> cancelled(String model, CallContext ctx, long promptEstimate, String prompt, Map<String, Integer> masked) {
        java.util.List<CallTrace.Attempt> attempts = ctx.trace.list();
        boolean inFlight = attempts.stream().anyMatch(a -> "cancelled".equals(a.status));
        Usage usage = new Usage(inFlight ? promptEstimate : 0, 0, 0);
        Cost cost = prices.cost(model, usage);
        metering.charge(ctx, usage, cost);
        log.write(record(ctx, model, "cancelled").usage(usage, cost).put("attempts", attempts)
                .put("latency_ms", ctx.elapsedMillis()).put("prompt", prompt).put("pii", masked.isEmpty() ? null : masked)
                .put("usage_estimated", true));
        return CompletableFuture.failedFuture(new JingneiException(ErrorKind.UPSTREAM_ERROR, "the caller went away; the call was cancelled"));
    }

    private static boolean cancellation(Throwable error) {
        Throwable t = error;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof java.util.concurrent.CancellationException;
    }

    static CallRecord record(CallContext ctx, String model, String status) {
        return new CallRecord(ctx.requestId, ctx.function, model, ctx.userId, status).putAll(ctx.notes());
    }
}
