package io.jingnei.scf;

import io.jingnei.core.entry.Reply;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API Gateway integrated response. scf-java-events has one, but its headers are a fastjson
 * type; this one has public fields named as the JSON keys, so any serialiser the runtime uses
 * writes the same document.
 */
public final class ApiGatewayResponse {
    public boolean isBase64Encoded;
    public int statusCode;
    public Map<String, String> headers;
    public String body;

    static ApiGatewayResponse of(Reply reply, String requestId) {
        ApiGatewayResponse response = new ApiGatewayResponse();
        response.isBase64Encoded = false;
        response.statusCode = reply.status;
        response.headers = new LinkedHashMap<>();
        response.headers.put("Content-Type", "application/json; charset=utf-8");
        response.headers.put("x-request-id", requestId);
        response.headers.putAll(reply.headers);
        response.body = reply.json();
        return response;
    }
}
