package io.jingnei.core.stream;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * A stored answer replayed as a stream of OpenAI chunks (a role chunk, the text in pieces, the
 * finish chunk, and a usage chunk with zero tokens where one is wanted), so a cached answer reaches a
 * streaming client the same way a fresh one does.
 */
public final class ReplayPublisher {
    private static final int PIECE = 24;

    private ReplayPublisher() {
    }

    /** With the usage chunk, as chat-stream always sends it. */
    public static Flow.Publisher<ObjectNode> of(String content, String model, String requestId) {
        return of(content, model, requestId, true);
    }

    /** @param withUsage whether to end with the usage chunk (an OpenAI client asks with {@code stream_options.include_usage}) */
    public static Flow.Publisher<ObjectNode> of(String content, String model, String requestId, boolean withUsage) {
        List<ObjectNode> chunks = chunks(content, model, requestId, withUsage);
        return subscriber -> {
            QueueSubscription<ObjectNode> subscription = new QueueSubscription<>(subscriber, () -> { });
            subscriber.onSubscribe(subscription);
            chunks.forEach(subscription::emit);
            subscription.complete();
        };
    }

    /** The chunks {@link #of} replays, for a relay that sends a whole answer in place of what it held back. */
    public static List<ObjectNode> chunks(String content, String model, String requestId, boolean withUsage) {
        List<ObjectNode> chunks = new ArrayList<>();
        long created = System.currentTimeMillis() / 1000;
        chunks.add(chunk(requestId, model, created));
        delta(chunks.get(0)).put("role", "assistant").put("content", "");
        String text = content == null ? "" : content;
        for (int i = 0; i < text.length(); i += PIECE) {
            ObjectNode piece = chunk(requestId, model, created);
            delta(piece).put("content", text.substring(i, Math.min(text.length(), i + PIECE)));
            chunks.add(piece);
        }
        ObjectNode finish = chunk(requestId, model, created);
        delta(finish);
        ((ObjectNode) finish.path("choices").get(0)).put("finish_reason", "stop");
        chunks.add(finish);
        if (withUsage) {
            ObjectNode usage = chunk(requestId, model, created);
            usage.putArray("choices");
            usage.putObject("usage").put("prompt_tokens", 0).put("completion_tokens", 0).put("total_tokens", 0);
            chunks.add(usage);
        }
        return chunks;
    }

    private static ObjectNode chunk(String requestId, String model, long created) {
        ObjectNode chunk = JsonNodeFactory.instance.objectNode().put("id", "chatcmpl-" + requestId)
                .put("object", "chat.completion.chunk").put("created", created).put("model", model);
        chunk.putArray("choices").addObject().put("index", 0).putNull("finish_reason").putObject("delta");
        return chunk;
    }

    private static ObjectNode delta(ObjectNode chunk) {
        return (ObjectNode) chunk.path("choices").get(0).path("delta");
    }
}
