package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.call.Metering;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.pii.BodyMasking;
import io.jingnei.core.pricing.Cost;
import io.jingnei.core.pricing.PriceTable;
import io.jingnei.core.pricing.Usage;
import io.jingnei.core.stream.ObservedPublisher;

/**
 * Watches a stream go by: fills missing chunk fields, takes the usage, logs once at the end. The
 * stream is priced, logged and charged as the model that answered (a fallback's chunks name the
 * fallback), as a whole answer is; the asked model until a chunk says otherwise. A stream that
 * ends after its first chunk but without usage (its client went away, the connection broke, the
 * upstream sent none) was still billed upstream: it is charged an estimate, the prompt's
 * characters and the characters generated so far, and its log line says {@code usage_estimated}.
 * So is one cancelled before its first chunk while an attempt was under way (prompt only). The
 * customer's values are given back after it, by {@code pii.StreamedRestore}.
 */
final class StreamAccounting implements ObservedPublisher.Observer<ObjectNode> {
    private final PriceTable prices;
    private final Metering metering;
    private final CallLog log;
    private volatile String model;
    private final CallContext ctx;
    private final boolean passUsage;
    private final String prompt;
    private final BodyMasking masking;
    private final long promptEstimate;
    private volatile Usage usage;
    private volatile long firstChunkMs = -1;
    /** Written only by {@link #onItem}, one chunk at a time; read at the end, from any thread. */
    private volatile long generatedChars;
    private final long created = System.currentTimeMillis() / 1000;

    StreamAccounting(PriceTable prices, Metering metering, CallLog log, String model, CallContext ctx, boolean passUsage, String prompt,
                     BodyMasking masking, long promptEstimate) {
        this.prices = prices;
        this.metering = metering;
        this.log = log;
        this.model = model;
        this.ctx = ctx;
        this.passUsage = passUsage;
        this.prompt = prompt;
        this.masking = masking;
        this.promptEstimate = promptEstimate;
    }

    @Override
    public ObjectNode onItem(ObjectNode chunk) {
        if (firstChunkMs < 0) {
            firstChunkMs = ctx.elapsedMillis();
        }
        JsonNode reported = chunk.get("usage");
        if (reported != null && reported.isObject()) {
            usage = Usage.fromJson(reported);
        }
        if (!chunk.hasNonNull("id")) {
            chunk.put("id", "chatcmpl-" + ctx.requestId);
        }
        chunk.put("object", "chat.completion.chunk");
        if (!chunk.hasNonNull("created")) {
            chunk.put("created", created);
        }
        if (chunk.path("model").isTextual()) {
            model = chunk.path("model").asText();
        } else {
            chunk.put("model", model);
        }
        if (!chunk.path("choices").isArray()) {
            chunk.putArray("choices");
        }
        generatedChars += charsAdded(chunk); // masked text, as the upstream generated it: StreamedRestore comes after
        if (!passUsage && reported != null) {
            chunk.remove("usage");
            if (chunk.path("choices").size() == 0) {
                return null; // the usage-only chunk the caller did not ask for
            }
        }
        return chunk;
    }

    @Override
    public void onEnd(Throwable error, boolean cancelled) {
        // Cancelled before its first chunk with an attempt under way: the upstream has the prompt
        // and bills it whether or not anyone reads the answer (security review 21.6).
        boolean cancelledWaiting = cancelled && firstChunkMs < 0 && ctx.trace.attemptUnderWay();
        boolean estimated = usage == null && (firstChunkMs >= 0 || cancelledWaiting);
        Usage used = estimated ? new Usage(promptEstimate, TokenEstimate.ofGenerated(generatedChars), 0) : usage;
        Cost cost = prices.cost(model, used);
        if (used != null) {
            metering.charge(ctx, used, cost);
        }
        String status = cancelled ? "cancelled" : error == null ? "success" : JingneiException.from(error).kind().status;
        log.write(Completions.record(ctx, model, status).usage(used, used == null ? null : cost)
                .put("usage_estimated", estimated ? true : null)
                .put("stream", true)
                .put("attempts", cancelled ? ctx.trace.listEndingUnderWayAs("cancelled") : ctx.trace.list())
                .put("first_chunk_ms", firstChunkMs < 0 ? null : firstChunkMs)
                .put("latency_ms", ctx.elapsedMillis())
                .put("error", error == null ? null : JingneiException.from(error).getMessage())
                .put("prompt", prompt)
                .put("pii", masking.counts().isEmpty() ? null : masking.counts()));
    }

    /** The text a chunk adds to the answer, as the upstream generated it: content, reasoning, tool-call arguments. */
    private long charsAdded(ObjectNode chunk) {
        long chars = 0;
        for (JsonNode choice : chunk.path("choices")) {
            JsonNode delta = choice.path("delta");
            chars += delta.path("content").asText("").length() + delta.path("reasoning_content").asText("").length();
            for (JsonNode call : delta.path("tool_calls")) {
                chars += call.path("function").path("arguments").asText("").length();
            }
        }
        return chars;
    }
}
