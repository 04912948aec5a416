package io.jingnei.core.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.batch.FaqBatchRequest;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.storage.StorageAllowList;
import io.jingnei.core.storage.StorageUris;
import io.jingnei.core.util.Json;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * faq-batch started by a platform's event rather than an admin (the table's event calls for
 * {@link Functions.FaqBatch#SPEC}): the platform is the caller, and the storage allow-list still holds.
 * The platforms' event shapes are the adapters'; these take the object or the payload they name.
 */
final class FaqBatchEvents {
    private static final ObjectMapper JSON = Json.mapper();

    private FaqBatchEvents() {
    }

    /**
     * An object-created event: a batch for the object, unless it lies outside the input prefix (our
     * own answers) or outside the storage allow-list (then it is skipped and logged, not run).
     */
    static CompletableFuture<Reply> onObject(FunctionCalls calls, String scheme, String bucket, String key, String requestId) {
        JingneiInstance instance = calls.instance();
        String id = CallContext.acceptRequestId(requestId);
        String plainKey = key == null ? "" : key.replaceFirst("^/", "");
        if (!instance.batch().isInput(plainKey)) {
            return FunctionCalls.done(skipped(plainKey + " is not under the input prefix " + instance.batch().limits().inputPrefix));
        }
        URI input;
        try {
            input = StorageUris.parse(scheme + "://" + bucket + "/" + plainKey);
        } catch (JingneiException e) {
            return calls.rejected(Functions.FAQ_BATCH_NAME, id, e);
        }
        if (!instance.allowList.allows(input, StorageAllowList.Access.READ)) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("level_hint", "WARN");
            fields.put("request_id", id);
            fields.put("object", input.toString());
            instance.log.event("object-created event outside the storage allow-list; skipped (JINGNEI_STORAGE_ALLOW)", fields);
            return FunctionCalls.done(skipped(input + " is outside the storage allow-list (JINGNEI_STORAGE_ALLOW)"));
        }
        return calls.faqBatch(Caller.platform(), new FaqBatchRequest(input.toString(), null), id);
    }

    /** A timer's payload (or FC's direct invocation) names the input, {@code {"input": "...", "output"?: "...", "mode"?: "batch"}}. */
    static CompletableFuture<Reply> onPayload(FunctionCalls calls, String payload, String requestId) {
        String id = CallContext.acceptRequestId(requestId);
        JsonNode node;
        try {
            node = payload == null ? null : JSON.readTree(payload);
        } catch (Exception e) {
            node = null;
        }
        if (node == null || !node.path("input").isTextual()) {
            return calls.rejected(Functions.FAQ_BATCH_NAME, id, new JingneiException(ErrorKind.INVALID_REQUEST,
                    "the timer payload must be JSON like {\"input\": \"faq-batch/in/nightly.jsonl\"}"));
        }
        return calls.faqBatch(Caller.platform(), requestOf(node), id);
    }

    /** {@code {input, output?, mode?, cancel?}} from a timer's payload or a direct invocation. */
    private static FaqBatchRequest requestOf(JsonNode node) {
        return new FaqBatchRequest(node.path("input").asText(), node.path("output").asText(null), node.path("mode").asText(null),
                node.path("cancel").asBoolean(false));
    }

    private static Reply skipped(String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "skipped");
        body.put("reason", reason);
        return new Reply(200, body);
    }
}
