package io.jingnei.fc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.functions.Reply;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** FC 3.0 HTTP-trigger events in, {@code {statusCode, headers, isBase64Encoded, body}} out. */
final class HttpTrigger {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpTrigger() {
    }

    /** The request body, base64-decoded when the event says so; empty for an unreadable event. */
    static byte[] body(InputStream event) throws IOException {
        JsonNode node;
        try {
            node = JSON.readTree(event);
        } catch (IOException e) {
            return new byte[0];
        }
        String body = node == null ? "" : node.path("body").asText("");
        return node != null && node.path("isBase64Encoded").asBoolean(false)
                ? Base64.getMimeDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
    }

    static void write(OutputStream out, Reply reply, String requestId) throws IOException {
        ObjectNode response = JSON.createObjectNode();
        response.put("statusCode", reply.status);
        response.putObject("headers").put("Content-Type", "application/json; charset=utf-8").put("x-request-id", requestId);
        response.put("isBase64Encoded", false);
        response.put("body", reply.json());
        out.write(JSON.writeValueAsBytes(response));
    }
}
