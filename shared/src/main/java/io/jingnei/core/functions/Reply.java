package io.jingnei.core.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** A function's answer as an adapter writes it: an HTTP status and a JSON body. */
public final class Reply {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final int status;
    public final Object body;

    public Reply(int status, Object body) {
        this.status = status;
        this.body = body;
    }

    public static Reply failure(int status, String code, String error, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", code);
        body.put("error", error);
        body.put("request_id", requestId);
        return new Reply(status, body);
    }

    public String json() {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            return "{\"status\":\"internal_error\",\"error\":\"cannot write the answer\"}";
        }
    }
}
