package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.log.Redactor;
import io.jingnei.core.util.Json;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.regex.Pattern;

/**
 * Turns an upstream HTTP error or a transport failure into an {@link UpstreamException} with a
 * clear message. The upstream's own text passes the redactor before it is cut short, and its
 * {@code type}, {@code code} and {@code param} are kept (redacted) for {@code /v1} callers.
 */
final class UpstreamErrors {
    private static final ObjectMapper JSON = Json.mapper();
    private static final Pattern MODEL_MISSING = Pattern.compile(
            "model.*(not found|does not exist|not exist|unknown|invalid|not supported|unsupported)|(模型|model).*(不存在|无效|不支持)",
            Pattern.CASE_INSENSITIVE);
    private static final int MAX_MESSAGE = 300;
    private static final int MAX_FIELD = 64;

    private UpstreamErrors() {
    }

    static UpstreamException fromResponse(String upstream, int status, byte[] body, Duration retryAfter, Redactor redactor) {
        JsonNode node = parse(body);
        String message = redactor.redactAndTruncate(upstreamMessage(node, body), MAX_MESSAGE);
        String type = field(node, "type", redactor);
        String code = field(node, "code", redactor);
        String param = field(node, "param", redactor);
        String detail = "upstream " + upstream + " answered HTTP " + status + (message.isEmpty() ? "" : ": " + message);
        boolean modelMissing = "model_not_found".equals(code == null ? "" : code.toLowerCase(Locale.ROOT)) || MODEL_MISSING.matcher(message).find();
        ErrorKind kind;
        boolean retryable = false;
        switch (status) {
            case 401:
            case 403:
                return new UpstreamException(ErrorKind.AUTH_ERROR, "upstream " + upstream + " rejected the API key (HTTP " + status
                        + "); check JINGNEI_LLM_API_KEY or the upstream's api_keys", false, null, status, type, code, param, null);
            case 404:
                kind = modelMissing ? ErrorKind.MODEL_NOT_FOUND : ErrorKind.UPSTREAM_ERROR;
                break;
            case 400:
            case 422:
                kind = modelMissing ? ErrorKind.MODEL_NOT_FOUND : ErrorKind.INVALID_REQUEST;
                break;
            case 413:
                kind = ErrorKind.PAYLOAD_TOO_LARGE;
                break;
            case 429:
                // An account out of credit will not recover by waiting; another key or upstream may serve.
                kind = "insufficient_quota".equals(code) ? ErrorKind.INSUFFICIENT_QUOTA : ErrorKind.RATE_LIMITED;
                retryable = kind == ErrorKind.RATE_LIMITED;
                break;
            case 408:
            case 504:
                kind = ErrorKind.TIMEOUT;
                retryable = true;
                break;
            default:
                kind = ErrorKind.UPSTREAM_ERROR;
                // Every 5xx is the upstream's own trouble (501, Cloudflare's 520-524, 529 "overloaded"):
                // another key, upstream or fallback may serve. Other statuses are about the request.
                retryable = status >= 500;
        }
        return new UpstreamException(kind, detail, retryable, retryable ? retryAfter : null, status, type, code, param, null);
    }

    /** An error event inside a 200 stream: never retried (chunks may already be out), always redacted. */
    static UpstreamException fromStreamEvent(String upstream, JsonNode event, Redactor redactor) {
        JsonNode error = event.path("error");
        String text = error.isObject() ? error.path("message").asText("") : error.asText("");
        String message = redactor.redactAndTruncate(text.replaceAll("\\s+", " "), MAX_MESSAGE);
        return new UpstreamException(ErrorKind.UPSTREAM_ERROR, "upstream " + upstream + " reported an error mid-stream"
                + (message.isEmpty() ? "" : ": " + message), false, null, 200,
                field(event, "type", redactor), field(event, "code", redactor), field(event, "param", redactor), null);
    }

    static UpstreamException fromTransport(Throwable error, String host, Duration responseTimeout) {
        if (error instanceof UpstreamException) {
            return (UpstreamException) error;
        }
        if (error instanceof CancellationException) {
            return new UpstreamException(ErrorKind.UPSTREAM_ERROR, "the call was cancelled", false, null, 0, error);
        }
        if (error instanceof org.apache.hc.client5.http.ConnectTimeoutException) {
            return new UpstreamException(ErrorKind.TIMEOUT, "could not connect to " + host + " in time", true, null, 0, error);
        }
        if (error instanceof InterruptedIOException) {
            return new UpstreamException(ErrorKind.TIMEOUT,
                    "no answer from " + host + " within " + responseTimeout.toMillis() + " ms", true, null, 0, error);
        }
        if (error instanceof UnknownHostException) {
            return new UpstreamException(ErrorKind.UPSTREAM_ERROR, "cannot resolve upstream host " + host, true, null, 0, error);
        }
        if (error instanceof ConnectException) {
            return new UpstreamException(ErrorKind.UPSTREAM_ERROR, "cannot connect to " + host + " (connection refused)", true, null, 0, error);
        }
        return new UpstreamException(ErrorKind.UPSTREAM_ERROR,
                "connection to " + host + " failed: " + error.getClass().getSimpleName(), true, null, 0, error);
    }

    private static String upstreamMessage(JsonNode node, byte[] body) {
        String text;
        if (node != null && node.path("error").isObject()) {
            text = node.path("error").path("message").asText("");
        } else if (node != null && node.path("error").isTextual()) {
            text = node.path("error").asText();
        } else if (node != null && node.path("message").isTextual()) {
            text = node.path("message").asText();
        } else {
            text = new String(body, 0, Math.min(body.length, 8192), StandardCharsets.UTF_8).trim();
            if (text.startsWith("<")) {
                text = ""; // an HTML error page says nothing useful
            }
        }
        return text.replaceAll("\\s+", " ");
    }

    /** error.type / error.code / error.param, short and redacted; null when absent. */
    private static String field(JsonNode node, String name, Redactor redactor) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.path("error").path(name);
        if (!value.isTextual() && !value.isNumber()) {
            return null;
        }
        String text = redactor.redact(value.asText());
        return text.isEmpty() || text.length() > MAX_FIELD ? null : text;
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : JSON.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }
}
