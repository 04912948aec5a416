package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.regex.Pattern;

/** Turns an upstream HTTP error or a transport failure into an {@link LlmException} with a clear, key-free message. */
final class UpstreamErrors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MODEL_MISSING = Pattern.compile(
            "model.*(not found|does not exist|not exist|unknown|invalid|not supported|unsupported)|(模型|model).*(不存在|无效|不支持)",
            Pattern.CASE_INSENSITIVE);
    private static final int MAX_MESSAGE = 300;

    private UpstreamErrors() {
    }

    static LlmException fromResponse(int status, byte[] body, Duration retryAfter, String apiKey) {
        String message = Secrets.redact(upstreamMessage(body), apiKey);
        String code = upstreamCode(body);
        String detail = "upstream answered HTTP " + status + (message.isEmpty() ? "" : ": " + message);
        boolean modelMissing = "model_not_found".equals(code) || MODEL_MISSING.matcher(message).find();
        switch (status) {
            case 401:
            case 403:
                return new LlmException(ErrorKind.AUTH_ERROR,
                        "the upstream rejected the API key (HTTP " + status + "); check JINGNEI_LLM_API_KEY", false, null, status, null);
            case 404:
                return new LlmException(modelMissing ? ErrorKind.MODEL_NOT_FOUND : ErrorKind.UPSTREAM_ERROR, detail, false, null, status, null);
            case 400:
            case 422:
                return new LlmException(modelMissing ? ErrorKind.MODEL_NOT_FOUND : ErrorKind.INVALID_REQUEST, detail, false, null, status, null);
            case 413:
                return new LlmException(ErrorKind.PAYLOAD_TOO_LARGE, detail, false, null, status, null);
            case 429:
                return new LlmException(ErrorKind.RATE_LIMITED, detail, true, retryAfter, status, null);
            case 408:
            case 504:
                return new LlmException(ErrorKind.TIMEOUT, detail, true, retryAfter, status, null);
            case 500:
            case 502:
            case 503:
                return new LlmException(ErrorKind.UPSTREAM_ERROR, detail, true, retryAfter, status, null);
            default:
                return new LlmException(ErrorKind.UPSTREAM_ERROR, detail, false, null, status, null);
        }
    }

    static LlmException fromTransport(Throwable error, String host, Duration responseTimeout) {
        if (error instanceof LlmException) {
            return (LlmException) error;
        }
        if (error instanceof CancellationException) {
            return new LlmException(ErrorKind.UPSTREAM_ERROR, "the call was cancelled", false, null, 0, error);
        }
        if (error instanceof org.apache.hc.client5.http.ConnectTimeoutException) {
            return new LlmException(ErrorKind.TIMEOUT, "could not connect to " + host + " in time", true, null, 0, error);
        }
        if (error instanceof InterruptedIOException) {
            return new LlmException(ErrorKind.TIMEOUT,
                    "no answer from " + host + " within " + responseTimeout.toMillis() + " ms", true, null, 0, error);
        }
        if (error instanceof UnknownHostException) {
            return new LlmException(ErrorKind.UPSTREAM_ERROR, "cannot resolve upstream host " + host, true, null, 0, error);
        }
        if (error instanceof ConnectException) {
            return new LlmException(ErrorKind.UPSTREAM_ERROR, "cannot connect to " + host + " (connection refused)", true, null, 0, error);
        }
        return new LlmException(ErrorKind.UPSTREAM_ERROR,
                "connection to " + host + " failed: " + error.getClass().getSimpleName(), true, null, 0, error);
    }

    private static String upstreamMessage(byte[] body) {
        JsonNode node = parse(body);
        String text;
        if (node != null && node.path("error").isObject()) {
            text = node.path("error").path("message").asText("");
        } else if (node != null && node.path("error").isTextual()) {
            text = node.path("error").asText();
        } else if (node != null && node.path("message").isTextual()) {
            text = node.path("message").asText();
        } else {
            text = new String(body, StandardCharsets.UTF_8).trim();
            if (text.startsWith("<")) {
                text = ""; // an HTML error page says nothing useful
            }
        }
        text = text.replaceAll("\\s+", " ");
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text;
    }

    private static String upstreamCode(byte[] body) {
        JsonNode node = parse(body);
        return node == null ? "" : node.path("error").path("code").asText("").toLowerCase(Locale.ROOT);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : JSON.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }
}
