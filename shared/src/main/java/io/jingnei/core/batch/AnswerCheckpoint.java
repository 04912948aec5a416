package io.jingnei.core.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.storage.ObjectStoreException;
import io.jingnei.core.text.JsonLines;
import io.jingnei.core.util.Json;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A batch's answers so far, kept as a JSONL object beside its output and rewritten every few
 * answers, so a re-run asks nothing already answered and a crashed run resumes. {@link #put} is
 * called from the HTTP client's I/O threads, so it only chains writes and never waits for one:
 * waiting there would deadlock on the very thread that must deliver the write's response.
 */
final class AnswerCheckpoint {
    private static final ObjectMapper JSON = Json.mapper();
    static final int CHECKPOINT_EVERY = 10; // visible for tests

    private final ObjectStore store;
    private final URI uri;
    private final Map<String, ObjectNode> answers;
    private final AtomicInteger sinceLast = new AtomicInteger();
    private CompletableFuture<Void> writes = CompletableFuture.completedFuture(null);

    private AnswerCheckpoint(ObjectStore store, URI uri, Map<String, ObjectNode> answers) {
        this.store = store;
        this.uri = uri;
        this.answers = answers;
    }

    /** Reads the answers an earlier run left; none when there was no earlier run. */
    static AnswerCheckpoint open(ObjectStore store, URI uri) {
        Map<String, ObjectNode> answers = new ConcurrentHashMap<>();
        byte[] bytes;
        try {
            bytes = FaqBatch.join(store.get(uri)).bytes;
        } catch (ObjectStoreException e) {
            if (e.reason() == ObjectStoreException.Reason.NOT_FOUND) {
                return new AnswerCheckpoint(store, uri, answers);
            }
            throw e;
        }
        for (JsonLines.Line line : JsonLines.parse(bytes)) {
            // a line torn by a crash mid-write is not JSON: its question is simply asked again
            if (line.isJson() && line.node.hasNonNull("key")) {
                answers.put(line.node.get("key").asText(), (ObjectNode) line.node.get("answer"));
            }
        }
        return new AnswerCheckpoint(store, uri, answers);
    }

    boolean contains(String key) {
        return answers.containsKey(key);
    }

    ObjectNode get(String key) {
        return answers.get(key);
    }

    /**
     * Keeps an answer without starting a checkpoint: for answers that arrive all at once (a
     * provider batch's output), followed by one {@link #flush}; a checkpoint per ten of them would
     * queue thousands of whole snapshots.
     */
    void keep(String key, ObjectNode answer) {
        answers.put(key, answer);
    }

    void put(String key, ObjectNode answer) {
        answers.put(key, answer);
        if (sinceLast.incrementAndGet() >= CHECKPOINT_EVERY) {
            write();
        }
    }

    /**
     * Completes, never exceptionally, when every checkpoint started so far is written or has failed.
     * Asking no further question before it keeps what a crash can lose to one interval plus the
     * questions in flight, however slow the store is.
     */
    synchronized CompletableFuture<Void> saved() {
        return writes;
    }

    /** Writes every answer and waits; call from the batch's own thread, never an I/O thread. */
    void flush() {
        FaqBatch.join(write());
    }

    private synchronized CompletableFuture<Void> write() {
        sinceLast.set(0);
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, ObjectNode> entry : answers.entrySet()) {
            ObjectNode line = JSON.createObjectNode();
            line.put("key", entry.getKey());
            line.set("answer", entry.getValue());
            out.append(line.toString()).append('\n');
        }
        byte[] snapshot = out.toString().getBytes(StandardCharsets.UTF_8);
        CompletableFuture<Void> next = writes.thenCompose(done -> store.put(uri, snapshot, "application/x-ndjson"));
        writes = next.exceptionally(error -> null); // a failed checkpoint is not fatal: the next one writes everything again
        return next;
    }
}
