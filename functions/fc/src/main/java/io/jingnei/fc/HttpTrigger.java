package io.jingnei.fc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.auth.RequestHeaders;
import io.jingnei.core.entry.Reply;
import io.jingnei.core.request.RequestBodies;
import io.jingnei.core.util.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An FC 3.0 HTTP-trigger event in ({@code rawPath}, {@code headers}, {@code body},
 * {@code isBase64Encoded}, {@code requestContext.http.method}), {@code {statusCode, headers,
 * isBase64Encoded, body}} out. Translation only: what to do with the request is the core's.
 */
final class HttpTrigger {
    private static final ObjectMapper JSON = Json.mapper();

    final String method;
    final String path;
    final RequestHeaders headers;
    final byte[] body;

    private HttpTrigger(String method, String path, RequestHeaders headers, byte[] body) {
        this.method = method;
        this.path = path;
        this.headers = headers;
        this.body = body;
    }

    /** Reads the event with the core's request constraints; a malformed event is the core's invalid_request. */
    static HttpTrigger read(InputStream event) throws IOException {
        ObjectNode node = RequestBodies.readObject(event.readAllBytes());
        String text = node.path("body").asText("");
        byte[] body = RequestBodies.eventBody(text, node.path("isBase64Encoded").asBoolean(false));
        Map<String, String> headers = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            headers.put(header.getKey(), header.getValue().isArray() ? header.getValue().path(0).asText() : header.getValue().asText());
        }
        String method = node.path("requestContext").path("http").path("method").asText("POST");
        String path = node.path("rawPath").asText(node.path("requestContext").path("http").path("path").asText("/"));
        return new HttpTrigger(method, path, RequestHeaders.of(headers), body);
    }

    static void write(OutputStream out, Reply reply, String requestId) throws IOException {
        ObjectNode response = JSON.createObjectNode();
        response.put("statusCode", reply.status);
        ObjectNode headers = response.putObject("headers");
        headers.put("Content-Type", "application/json; charset=utf-8").put("x-request-id", requestId);
        reply.headers.forEach(headers::put);
        response.put("isBase64Encoded", false);
        response.put("body", reply.json());
        out.write(JSON.writeValueAsBytes(response));
    }
}
