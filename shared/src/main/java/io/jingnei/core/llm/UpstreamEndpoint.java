package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.call.CallTrace;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.RetryAfter;
import io.jingnei.core.http.SharedHttpClient;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.log.Redactor;
import io.jingnei.core.util.Json;
import io.jingnei.core.util.TimeSource;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * Single HTTP exchanges with one upstream and one key over the instance's shared client. No
 * retries here: {@link Router} decides what to try next. Callbacks run on the HTTP client's I/O
 * threads; nothing here blocks.
 */
final class UpstreamEndpoint {
    static final ObjectMapper JSON = Json.mapper();

    private final SharedHttpClient http;
    private final CallLog log;
    private final TimeSource time;
    private final Duration streamIdleTimeout;

    /** @param log its redactor (set at boot, once every secret is known) cleans upstream error texts */
    UpstreamEndpoint(SharedHttpClient http, CallLog log, TimeSource time, Duration streamIdleTimeout) {
        this.http = http;
        this.log = log;
        this.time = time;
        this.streamIdleTimeout = streamIdleTimeout;
    }

    Redactor redactor() {
        return log.redactor();
    }

    Duration streamIdleTimeout() {
        return streamIdleTimeout;
    }

    /** POST {@code path} with a JSON body; completes with the JSON object answered. */
    CompletableFuture<ObjectNode> post(Upstream upstream, UpstreamKey key, String path, byte[] body, Duration timeout, CallTrace trace) {
        return exchange(upstream, SimpleRequestBuilder.post(upstream.baseUrl + path).setBody(body, ContentType.APPLICATION_JSON),
                key, timeout, trace);
    }

    CompletableFuture<ObjectNode> get(Upstream upstream, UpstreamKey key, String path, Duration timeout) {
        return exchange(upstream, SimpleRequestBuilder.get(upstream.baseUrl + path), key, timeout, null);
    }

    /** Starts one streaming attempt; the consumer routes chunks and failures and keeps its time limits. */
    Future<Void> startStream(Upstream upstream, UpstreamKey key, byte[] body, StreamResponseConsumer consumer) {
        SimpleHttpRequest request = prepared(upstream, SimpleRequestBuilder.post(upstream.baseUrl + "/chat/completions")
                .setBody(body, ContentType.APPLICATION_JSON)
                .addHeader("Accept", "text/event-stream"), key, consumer.socketTimeout());
        Future<Void> exchange = http.execute(SimpleRequestProducer.create(request), consumer, consumer.callback());
        consumer.watch(exchange);
        return exchange;
    }

    UpstreamException transportError(Upstream upstream, Throwable error, Duration timeout) {
        return UpstreamErrors.fromTransport(error, upstream.host, timeout);
    }

    UpstreamException httpError(Upstream upstream, HttpResponse response, byte[] body) {
        return UpstreamErrors.fromResponse(upstream.name, response.getCode(), body, retryAfter(response), redactor());
    }

    private CompletableFuture<ObjectNode> exchange(Upstream upstream, SimpleRequestBuilder builder, UpstreamKey key, Duration timeout,
                                                   CallTrace trace) {
        CompletableFuture<SimpleHttpResponse> sent = send(upstream, builder, key, timeout);
        CompletableFuture<ObjectNode> result = new CompletableFuture<>();
        // Completed by hand, not by thenApply: callers see the UpstreamException itself, not wrapped.
        sent.whenComplete((response, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
                return;
            }
            try {
                JsonNode node = JSON.readTree(response.getBodyBytes() == null ? new byte[0] : response.getBodyBytes());
                if (node == null || !node.isObject()) {
                    throw new IOException("not a JSON object");
                }
                if (trace != null) {
                    trace.upstreamRequestId(upstreamRequestId(response));
                }
                result.complete((ObjectNode) node);
            } catch (IOException e) {
                result.completeExceptionally(new UpstreamException(ErrorKind.UPSTREAM_ERROR,
                        "upstream " + upstream.name + " answered HTTP " + response.getCode() + " with malformed JSON",
                        false, null, response.getCode(), null));
            }
        });
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) {
                sent.cancel(false);
            }
        });
        return result;
    }

    /** One exchange whose 2xx answer is taken whole; any other status fails as {@link #httpError}. Cancelling cancels it. */
    CompletableFuture<SimpleHttpResponse> send(Upstream upstream, SimpleRequestBuilder builder, UpstreamKey key, Duration timeout) {
        SimpleHttpRequest request = prepared(upstream, builder, key, timeout);
        CompletableFuture<SimpleHttpResponse> result = new CompletableFuture<>();
        Future<SimpleHttpResponse> inFlight = http.execute(SimpleRequestProducer.create(request),
                SimpleResponseConsumer.create(), new FutureCallback<SimpleHttpResponse>() {
                    @Override
                    public void completed(SimpleHttpResponse response) {
                        if (response.getCode() / 100 != 2) {
                            byte[] body = response.getBodyBytes() == null ? new byte[0] : response.getBodyBytes();
                            result.completeExceptionally(httpError(upstream, response, body));
                            return;
                        }
                        result.complete(response);
                    }

                    @Override
                    public void failed(Exception error) {
                        result.completeExceptionally(transportError(upstream, error, timeout));
                    }

                    @Override
                    public void cancelled() {
                        result.cancel(false);
                    }
                });
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) {
                inFlight.cancel(true);
            }
        });
        return result;
    }

    private static SimpleHttpRequest prepared(Upstream upstream, SimpleRequestBuilder builder, UpstreamKey key, Duration timeout) {
        for (Map.Entry<String, String> header : upstream.headers.entrySet()) {
            builder.addHeader(header.getKey(), header.getValue());
        }
        if (key != null && key.value != null) {
            builder.addHeader("Authorization", "Bearer " + key.value);
        }
        return builder.setRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build()).build();
    }

    static String upstreamRequestId(HttpResponse response) {
        for (String name : new String[] {"x-request-id", "request-id", "x-dashscope-request-id", "x-ds-trace-id"}) {
            if (response.getFirstHeader(name) != null) {
                String id = response.getFirstHeader(name).getValue();
                // Only ids that are safe to repeat in a header and a log line.
                return id.length() <= 128 && id.matches("[A-Za-z0-9._:\\-]+") ? id : null;
            }
        }
        return null;
    }

    private Duration retryAfter(HttpResponse response) {
        return RetryAfter.parse(header(response, "retry-after-ms"), header(response, "Retry-After"), time.currentTimeMillis())
                .orElse(null);
    }

    private static String header(HttpResponse response, String name) {
        return response.getFirstHeader(name) == null ? null : response.getFirstHeader(name).getValue();
    }

    static byte[] toBytes(ObjectNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise request body", e);
        }
    }
}
