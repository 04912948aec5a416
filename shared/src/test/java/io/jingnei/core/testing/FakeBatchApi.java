package io.jingnei.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The OpenAI-compatible Files and Batch API as Bailian and OpenAI document it, for
 * {@link FakeUpstream}: {@code POST /files} (multipart, {@code purpose=batch}),
 * {@code GET /files/{id}/content}, {@code POST /batches}, {@code GET /batches/{id}},
 * {@code GET /batches}, {@code POST /batches/{id}/cancel}. A batch moves validating → in_progress
 * → completed one step per retrieve (or as told); on completion every request line is answered by
 * {@link #answer} into the output file as {@code {id, custom_id, response:{status_code, request_id,
 * body}, error:null}}, and lines whose custom_id is {@link #reject}ed go to the error file with a
 * 400 body and an {@code error} object.
 */
public final class FakeBatchApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> files = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> batches = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Set<String> rejected = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ids = new AtomicInteger();
    private final List<String> uploads = Collections.synchronizedList(new ArrayList<>());
    private volatile int retrievesToFinish = 2;
    private volatile String finalStatus = "completed";
    private volatile Function<JsonNode, String> answer = body -> "答：" + lastUser(body);
    private volatile java.util.concurrent.CountDownLatch createHold;
    private volatile boolean holdAfterCreating;
    private volatile int promptTokens = 100;
    private volatile int completionTokens = 20;

    /** Each retrieve moves a batch one step; it is done after {@code n} retrieves (2: validating, in_progress, done). */
    public FakeBatchApi finishAfter(int n) {
        this.retrievesToFinish = n;
        return this;
    }

    /** How a finished batch ends: completed, expired (half its lines answered) or failed (none). */
    public FakeBatchApi endAs(String status) {
        this.finalStatus = status;
        return this;
    }

    public FakeBatchApi answer(Function<JsonNode, String> answer) {
        this.answer = answer;
        return this;
    }

    /** The usage every answered line reports (100 prompt, 20 completion tokens by default). */
    public FakeBatchApi usage(int prompt, int completion) {
        this.promptTokens = prompt;
        this.completionTokens = completion;
        return this;
    }

    /** Request lines whose user message contains {@code text} fail with a 400 in the error file. */
    public FakeBatchApi reject(String text) {
        rejected.add(text);
        return this;
    }

    /**
     * Batch creation hangs until {@link #releaseCreates()}: before the batch exists, or
     * ({@code afterCreating}) once it exists but before it is answered, as when the caller dies
     * mid-request. A creation held before it began never makes its batch: its caller is gone.
     */
    public FakeBatchApi holdCreates(boolean afterCreating) {
        this.holdAfterCreating = afterCreating;
        this.createHold = new java.util.concurrent.CountDownLatch(1);
        return this;
    }

    public FakeBatchApi releaseCreates() {
        java.util.concurrent.CountDownLatch hold = createHold;
        createHold = null;
        if (hold != null) {
            hold.countDown();
        }
        return this;
    }

    /** Every uploaded file's content, in upload order. */
    public List<String> uploads() {
        synchronized (uploads) {
            return new ArrayList<>(uploads);
        }
    }

    public int batchesCreated() {
        return batches.size();
    }

    Reply handle(RecordedRequest request) {
        String path = request.path.replaceFirst("^/v1", "").replaceFirst("\\?.*$", "");
        if (request.method.equals("POST") && path.equals("/files")) {
            return upload(request);
        }
        if (request.method.equals("GET") && path.matches("/files/[^/]+/content")) {
            String content = files.get(path.split("/")[2]);
            return content == null ? Reply.error(404, "invalid_request_error", "not_found", "No such file")
                    : Reply.json(200, content).header("Content-Type", "application/jsonl");
        }
        if (request.method.equals("POST") && path.equals("/batches")) {
            return create(request.json());
        }
        if (request.method.equals("GET") && path.equals("/batches")) {
            ArrayNode data = JSON.createArrayNode();
            synchronized (batches) {
                List<ObjectNode> all = new ArrayList<>(batches.values());
                Collections.reverse(all);
                all.forEach(data::add);
            }
            return Reply.json(200, JSON.createObjectNode().put("object", "list").set("data", data).toString());
        }
        if (request.method.equals("GET") && path.matches("/batches/[^/]+")) {
            return retrieve(path.split("/")[2]);
        }
        if (request.method.equals("POST") && path.matches("/batches/[^/]+/cancel")) {
            ObjectNode batch = batches.get(path.split("/")[2]);
            if (batch == null) {
                return Reply.error(404, "invalid_request_error", "not_found", "No such batch");
            }
            synchronized (batch) {
                batch.put("status", "cancelling");
                batch.put("cancelling_at", now());
            }
            return Reply.json(200, batch.toString());
        }
        return Reply.error(404, "invalid_request_error", null, "Unknown path " + request.path);
    }

    private Reply upload(RecordedRequest request) {
        String contentType = request.headers.getOrDefault("content-type", "");
        int at = contentType.indexOf("boundary=");
        if (!contentType.startsWith("multipart/form-data") || at < 0) {
            return Reply.error(400, "invalid_request_error", null, "expected multipart/form-data");
        }
        String boundary = "--" + contentType.substring(at + 9).replace("\"", "");
        String purpose = null;
        String content = null;
        String filename = null;
        for (String part : request.body.split(java.util.regex.Pattern.quote(boundary))) {
            int split = part.indexOf("\r\n\r\n");
            if (split < 0) {
                continue;
            }
            String head = part.substring(0, split);
            String value = part.substring(split + 4);
            value = value.endsWith("\r\n") ? value.substring(0, value.length() - 2) : value;
            if (head.contains("name=\"purpose\"")) {
                purpose = value;
            } else if (head.contains("name=\"file\"")) {
                content = value;
                java.util.regex.Matcher name = java.util.regex.Pattern.compile("filename=\"([^\"]*)\"").matcher(head);
                filename = name.find() ? name.group(1) : "file.jsonl";
            }
        }
        if (!"batch".equals(purpose) || content == null) {
            return Reply.error(400, "invalid_request_error", null, "purpose must be batch and a file is required");
        }
        String id = "file-batch-" + ids.incrementAndGet();
        files.put(id, content);
        uploads.add(content);
        ObjectNode file = JSON.createObjectNode().put("id", id).put("object", "file").put("bytes", content.length())
                .put("created_at", now()).put("filename", filename).put("purpose", "batch").put("status", "processed");
        return Reply.json(200, file.toString());
    }

    private Reply create(JsonNode body) {
        java.util.concurrent.CountDownLatch hold = createHold;
        if (hold != null && !holdAfterCreating) {
            await(hold);
            return Reply.error(499, "invalid_request_error", null, "client closed the request");
        }
        String fileId = body.path("input_file_id").asText();
        if (!files.containsKey(fileId)) {
            return Reply.error(400, "invalid_request_error", null, "input_file_id " + fileId + " not found");
        }
        String id = "batch_" + ids.incrementAndGet();
        ObjectNode batch = JSON.createObjectNode();
        batch.put("id", id).put("object", "batch").put("endpoint", body.path("endpoint").asText()).putNull("errors")
                .put("input_file_id", fileId).put("completion_window", body.path("completion_window").asText("24h"))
                .put("status", "validating").putNull("output_file_id").putNull("error_file_id").put("created_at", now())
                .put("expires_at", now() + 86400).put("steps", 0);
        int total = files.get(fileId).split("\n").length;
        batch.putObject("request_counts").put("total", total).put("completed", 0).put("failed", 0);
        batch.set("metadata", body.path("metadata").deepCopy());
        batches.put(id, batch);
        if (hold != null && holdAfterCreating) {
            await(hold);
        }
        return Reply.json(200, view(batch));
    }

    private Reply retrieve(String id) {
        ObjectNode batch = batches.get(id);
        if (batch == null) {
            return Reply.error(404, "invalid_request_error", "not_found", "No such batch " + id);
        }
        synchronized (batch) {
            String status = batch.path("status").asText();
            int steps = batch.path("steps").asInt() + 1;
            batch.put("steps", steps);
            if (status.equals("cancelling")) {
                finish(batch, "cancelled");
            } else if (status.equals("validating") || status.equals("in_progress")) {
                if (steps >= retrievesToFinish) {
                    finish(batch, finalStatus);
                } else {
                    batch.put("status", "in_progress").put("in_progress_at", now());
                }
            }
            return Reply.json(200, view(batch));
        }
    }

    private void finish(ObjectNode batch, String status) {
        String[] lines = files.get(batch.path("input_file_id").asText()).split("\n");
        int answerable = status.equals("completed") ? lines.length : status.equals("failed") ? 0 : lines.length / 2;
        StringBuilder output = new StringBuilder();
        StringBuilder errors = new StringBuilder();
        int completed = 0;
        int failed = 0;
        for (int i = 0; i < answerable; i++) {
            JsonNode line = parse(lines[i]);
            String customId = line.path("custom_id").asText();
            String user = lastUser(line.path("body"));
            boolean reject = rejected.stream().anyMatch(user::contains);
            ObjectNode result = JSON.createObjectNode().put("id", "batch_req_" + ids.incrementAndGet()).put("custom_id", customId);
            ObjectNode response = result.putObject("response").put("status_code", reject ? 400 : 200).put("request_id", "req-" + i);
            if (reject) {
                response.putObject("body").putObject("error").put("code", "data_inspection_failed")
                        .put("message", "Input data may contain inappropriate content.");
                result.putObject("error").put("code", "data_inspection_failed").put("message", "Input data may contain inappropriate content.");
                errors.append(result).append('\n');
                failed++;
            } else {
                ObjectNode body = response.putObject("body");
                body.put("id", "chatcmpl-" + i).put("object", "chat.completion").put("created", now())
                        .put("model", line.path("body").path("model").asText());
                ObjectNode message = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop").putObject("message");
                message.put("role", "assistant").put("content", answer.apply(line.path("body")));
                body.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                        .put("total_tokens", promptTokens + completionTokens);
                result.putNull("error");
                output.append(result).append('\n');
                completed++;
            }
        }
        batch.put("status", status).put(status + "_at", now());
        if (output.length() > 0) {
            String id = "file-out-" + ids.incrementAndGet();
            files.put(id, output.toString());
            batch.put("output_file_id", id);
        }
        if (errors.length() > 0) {
            String id = "file-err-" + ids.incrementAndGet();
            files.put(id, errors.toString());
            batch.put("error_file_id", id);
        }
        ((ObjectNode) batch.get("request_counts")).put("completed", completed).put("failed", failed);
    }

    private static String view(ObjectNode batch) {
        ObjectNode copy = batch.deepCopy();
        copy.remove("steps");
        return copy.toString();
    }

    private static String lastUser(JsonNode body) {
        String last = "";
        for (JsonNode message : body.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                last = message.path("content").asText();
            }
        }
        return last;
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(java.util.concurrent.CountDownLatch hold) {
        try {
            hold.await(5, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
