package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.http.SharedHttpClient;
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
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;

/** {@link LlmClient} over the shared pooled HTTP client. */
public final class OpenAiCompatibleClient implements LlmClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final SharedHttpClient http;
    private final String baseUrl;
    private final String host;
    private final String apiKey;
    private final Duration responseTimeout;
    private final Duration streamIdleTimeout;
    private final Retrier retrier;
    private final TimeSource time;

    /** @param apiKey null when none is configured: calls then fail with a clear error, start-up does not */
    public OpenAiCompatibleClient(SharedHttpClient http, String baseUrl, String apiKey, Duration responseTimeout,
                                  Duration streamIdleTimeout, RetryPolicy retryPolicy, Duration deadline, TimeSource time) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.host = URI.create(baseUrl).getHost();
        this.apiKey = apiKey;
        this.responseTimeout = responseTimeout;
        this.streamIdleTimeout = streamIdleTimeout;
        this.retrier = new Retrier(retryPolicy, time, deadline);
        this.time = time;
    }

    @Override
    public CompletableFuture<ObjectNode> complete(ObjectNode body, CallTrace trace) {
        Optional<LlmException> missing = missingKey();
        if (missing.isPresent()) {
            return CompletableFuture.failedFuture(missing.get());
        }
        byte[] bytes = toBytes(body);
        return retrier.run(trace, left -> exchange(
                SimpleRequestBuilder.post(baseUrl + "/chat/completions").setBody(bytes, ContentType.APPLICATION_JSON), left));
    }

    @Override
    public CompletableFuture<ObjectNode> embeddings(ObjectNode body) {
        Optional<LlmException> missing = missingKey();
        if (missing.isPresent()) {
            return CompletableFuture.failedFuture(missing.get());
        }
        byte[] bytes = toBytes(body);
        return retrier.run(new CallTrace(), left -> exchange(
                SimpleRequestBuilder.post(baseUrl + "/embeddings").setBody(bytes, ContentType.APPLICATION_JSON), left));
    }

    @Override
    public CompletableFuture<ObjectNode> listModels() {
        Optional<LlmException> missing = missingKey();
        if (missing.isPresent()) {
            return CompletableFuture.failedFuture(missing.get());
        }
        return retrier.run(new CallTrace(), left -> exchange(SimpleRequestBuilder.get(baseUrl + "/models"), left));
    }

    @Override
    public Flow.Publisher<ObjectNode> stream(ObjectNode body, CallTrace trace) {
        Optional<LlmException> missing = missingKey();
        if (missing.isPresent()) {
            return subscriber -> new io.jingnei.core.stream.QueueSubscription<ObjectNode>(subscriber, () -> { }).fail(missing.get());
        }
        byte[] bytes = toBytes(body);
        return new UpstreamStream(this, bytes, trace);
    }

    Retrier retrier() {
        return retrier;
    }

    /** Starts one streaming attempt; the consumer routes chunks and failures. */
    Future<Void> startStream(byte[] body, StreamResponseConsumer consumer) {
        SimpleHttpRequest request = authorized(SimpleRequestBuilder.post(baseUrl + "/chat/completions")
                .setBody(body, ContentType.APPLICATION_JSON)
                .addHeader("Accept", "text/event-stream"), streamIdleTimeout);
        return http.client().execute(SimpleRequestProducer.create(request), consumer, null, null, consumer.callback());
    }

    LlmException transportError(Throwable error, Duration timeout) {
        return UpstreamErrors.fromTransport(error, host, timeout);
    }

    LlmException httpError(HttpResponse response, byte[] body) {
        return UpstreamErrors.fromResponse(response.getCode(), body, retryAfter(response), apiKey);
    }

    Duration streamIdleTimeout() {
        return streamIdleTimeout;
    }

    private CompletableFuture<ObjectNode> exchange(SimpleRequestBuilder builder, Duration left) {
        Duration timeout = left.compareTo(responseTimeout) < 0 ? left : responseTimeout;
        SimpleHttpRequest request = authorized(builder, timeout);
        CompletableFuture<ObjectNode> result = new CompletableFuture<>();
        Future<SimpleHttpResponse> inFlight = http.client().execute(SimpleRequestProducer.create(request),
                SimpleResponseConsumer.create(), new FutureCallback<SimpleHttpResponse>() {
                    @Override
                    public void completed(SimpleHttpResponse response) {
                        byte[] body = response.getBodyBytes() == null ? new byte[0] : response.getBodyBytes();
                        if (response.getCode() / 100 != 2) {
                            result.completeExceptionally(httpError(response, body));
                            return;
                        }
                        try {
                            JsonNode node = JSON.readTree(body);
                            if (node == null || !node.isObject()) {
                                throw new IOException("not a JSON object");
                            }
                            result.complete((ObjectNode) node);
                        } catch (IOException e) {
                            result.completeExceptionally(new LlmException(ErrorKind.UPSTREAM_ERROR,
                                    "upstream answered HTTP " + response.getCode() + " with malformed JSON", false, null, response.getCode(), null));
                        }
                    }

                    @Override
                    public void failed(Exception error) {
                        result.completeExceptionally(transportError(error, timeout));
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

    private SimpleHttpRequest authorized(SimpleRequestBuilder builder, Duration timeout) {
        return builder.addHeader("Authorization", "Bearer " + apiKey)
                .setRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build())
                .build();
    }

    private Duration retryAfter(HttpResponse response) {
        return RetryAfter.parse(header(response, "retry-after-ms"), header(response, "Retry-After"), time.currentTimeMillis())
                .orElse(null);
    }

    private static String header(HttpResponse response, String name) {
        return response.getFirstHeader(name) == null ? null : response.getFirstHeader(name).getValue();
    }

    private Optional<LlmException> missingKey() {
        return apiKey == null
                ? Optional.of(new LlmException(ErrorKind.AUTH_ERROR, "JINGNEI_LLM_API_KEY is not set (HOLYSHEEP_API_KEY is also accepted)"))
                : Optional.empty();
    }

    private static byte[] toBytes(ObjectNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise request body", e);
        }
    }
}
