package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.core5.http.ContentType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A provider's OpenAI-compatible Files and Batch API ({@code /files} with {@code purpose=batch},
 * {@code /batches}), on one upstream and one of its keys: a batch lives in the account that
 * created it, so every later call for it must use the same upstream and key. No retries and no
 * failover here: a batch request repeated by the platform's next timer is the retry.
 * Futures complete on the HTTP client's I/O threads; nothing here blocks.
 */
public final class BatchEndpoint {
    /** The endpoint every request line names; Bailian and OpenAI accept it as is. */
    public static final String CHAT_ENDPOINT = "/v1/chat/completions";

    private final UpstreamEndpoint endpoint;
    private final Upstream upstream;
    private final UpstreamKey key;
    private final Duration timeout;

    BatchEndpoint(UpstreamEndpoint endpoint, Upstream upstream, UpstreamKey key, Duration timeout) {
        this.endpoint = endpoint;
        this.upstream = upstream;
        this.key = key;
        this.timeout = timeout;
    }

    public String upstreamName() {
        return upstream.name;
    }

    /** The key's number in the upstream's list (1-based): what a batch's state records, never the key. */
    public int keyNumber() {
        return key.number;
    }

    /** The name the upstream knows our model by. */
    public String upstreamModel(String model) {
        return upstream.upstreamModel(model);
    }

    /** Uploads a JSONL file of requests; completes with its file id. */
    public CompletableFuture<String> upload(String filename, byte[] jsonl) {
        String boundary = "jingnei-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream(jsonl.length + 512);
        try {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                    + "\"\r\nContent-Type: application/jsonl\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(jsonl);
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e); // a ByteArrayOutputStream does not fail
        }
        SimpleRequestBuilder request = SimpleRequestBuilder.post(upstream.baseUrl + "/files")
                .setBody(body.toByteArray(), ContentType.create("multipart/form-data").withParameters(
                        new org.apache.hc.core5.http.message.BasicNameValuePair("boundary", boundary)));
        return json(request, true).thenApply(file -> {
            String id = file.path("id").asText("");
            if (id.isEmpty()) {
                throw new JingneiException(ErrorKind.UPSTREAM_ERROR, "upstream " + upstream.name + " answered a file upload without an id");
            }
            return id;
        });
    }

    /** Creates a batch over an uploaded file, 24 h window; {@code metadata} says which run and part it is. */
    public CompletableFuture<ObjectNode> create(String inputFileId, Map<String, String> metadata) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("input_file_id", inputFileId);
        body.put("endpoint", CHAT_ENDPOINT);
        body.put("completion_window", "24h");
        ObjectNode meta = body.putObject("metadata");
        metadata.forEach(meta::put);
        return json(SimpleRequestBuilder.post(upstream.baseUrl + "/batches")
                .setBody(UpstreamEndpoint.toBytes(body), ContentType.APPLICATION_JSON), false);
    }

    public CompletableFuture<ObjectNode> retrieve(String batchId) {
        return json(SimpleRequestBuilder.get(upstream.baseUrl + "/batches/" + batchId), false);
    }

    public CompletableFuture<ObjectNode> cancel(String batchId) {
        return json(SimpleRequestBuilder.post(upstream.baseUrl + "/batches/" + batchId + "/cancel"), false);
    }

    /** The most recent batches of the account: to find one created just before a crash, by its input file. */
    public CompletableFuture<List<JsonNode>> recent() {
        return json(SimpleRequestBuilder.get(upstream.baseUrl + "/batches?limit=100"), false).thenApply(list -> {
            List<JsonNode> batches = new ArrayList<>();
            list.path("data").forEach(batches::add);
            return batches;
        });
    }

    /** A file's content: a batch's output or error file, JSONL. */
    public CompletableFuture<byte[]> content(String fileId) {
        return endpoint.send(upstream, SimpleRequestBuilder.get(upstream.baseUrl + "/files/" + fileId + "/content"), key, timeout)
                .handle((response, error) -> body(response, error, false));
    }

    private CompletableFuture<ObjectNode> json(SimpleRequestBuilder request, boolean apiItself) {
        return endpoint.send(upstream, request, key, timeout).handle((response, error) -> {
            byte[] bytes = body(response, error, apiItself);
            try {
                JsonNode node = UpstreamEndpoint.JSON.readTree(bytes);
                if (node != null && node.isObject()) {
                    return (ObjectNode) node;
                }
            } catch (IOException malformed) {
                // reported below
            }
            throw new JingneiException(ErrorKind.UPSTREAM_ERROR, "upstream " + upstream.name + " answered the Batch API with malformed JSON");
        });
    }

    /** The answer's bytes; {@code apiItself}: a 404 there (POST /files) means the upstream has no Batch API. */
    private byte[] body(SimpleHttpResponse response, Throwable error, boolean apiItself) {
        if (error == null) {
            return response.getBodyBytes() == null ? new byte[0] : response.getBodyBytes();
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (apiItself && cause instanceof UpstreamException && ((UpstreamException) cause).upstreamStatus() == 404) {
            throw noBatchApi();
        }
        throw cause instanceof RuntimeException ? (RuntimeException) cause : new CompletionException(cause);
    }

    /** The upstream answered 404 on the Batch API's own path: it has none. */
    public JingneiException noBatchApi() {
        return new JingneiException(ErrorKind.INVALID_REQUEST, "upstream " + upstream.name + " (" + upstream.baseUrl
                + ") has no OpenAI-compatible Batch API (404 on /files): run faq-batch with \"mode\": \"realtime\" or JINGNEI_FAQ_MODE=realtime");
    }
}
