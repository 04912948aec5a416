package io.jingnei.core.entry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.error.RetryAfter;
import io.jingnei.core.util.Json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A function's answer as an adapter writes it: an HTTP status, headers of our own and a JSON body. */
public final class Reply {
    private static final ObjectMapper JSON = Json.mapper();

    public final int status;
    public final Object body;
    public final Map<String, String> headers;

    public Reply(int status, Object body) {
        this(status, body, Map.of());
    }

    public Reply(int status, Object body, Map<String, String> headers) {
        this.status = status;
        this.body = body;
        this.headers = Collections.unmodifiableMap(headers);
    }

    /** The {@code {status, error, request_id}} failure of our own functions, from the one error table. */
    public static Reply failure(JingneiException e, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", e.kind().status);
        body.put("error", e.getMessage());
        body.put("request_id", requestId);
        return new Reply(e.kind().httpStatus, body, headersFor(e));
    }

    /** Headers a failure carries: how long to wait before trying again, when known. */
    public static Map<String, String> headersFor(JingneiException e) {
        Map<String, String> headers = new LinkedHashMap<>();
        e.retryAfter().ifPresent(wait -> headers.put("Retry-After", String.valueOf(RetryAfter.seconds(wait))));
        return headers;
    }

    public String json() {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            return "{\"status\":\"internal_error\",\"error\":\"cannot write the answer\"}";
        }
    }
}
