package io.jingnei.fc;

import com.fasterxml.jackson.databind.JsonNode;
import io.jingnei.core.entry.FunctionCalls;
import io.jingnei.core.entry.FunctionSpec;
import io.jingnei.core.entry.Reply;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.request.RequestBodies;

import java.util.concurrent.CompletableFuture;

/**
 * An FC event-function invocation, by its documented shape: OSS object-created
 * ({@code events[0].oss}), timer ({@code triggerTime} and {@code payload}), or a direct invocation
 * whose event is the request ({@code {input, output?, mode?, cancel?}}), handed to the function's
 * event calls in the core's table. Translation only. Shared by the java11 handler and the custom
 * runtime's {@code /invoke} in the web function, which depends on this module for it.
 */
public final class FcEvents {
    private FcEvents() {
    }

    public static CompletableFuture<Reply> call(FunctionSpec<?> function, FunctionCalls calls, byte[] eventBytes, String requestId) {
        JsonNode event;
        try {
            event = RequestBodies.readObject(eventBytes);
        } catch (JingneiException e) {
            return calls.refused(function, requestId, e);
        }
        JsonNode oss = event.path("events").path(0).path("oss");
        if (oss.isObject()) {
            return function.objectCreated(calls, "oss", oss.path("bucket").path("name").asText(), oss.path("object").path("key").asText(), requestId);
        }
        if (event.has("triggerTime") && event.has("payload")) {
            return function.payload(calls, event.path("payload").asText(), requestId);
        }
        if (event.path("input").isTextual()) {
            return function.payload(calls, event.toString(), requestId);
        }
        return calls.refused(function, requestId, new JingneiException(ErrorKind.INVALID_REQUEST,
                "unsupported event: expected an OSS object-created event, a timer event or {\"input\": ...}"));
    }
}
