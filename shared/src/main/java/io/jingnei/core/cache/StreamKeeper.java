package io.jingnei.core.cache;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.stream.ObservedPublisher;

/**
 * Collects a streamed answer as it passes and keeps it in the answer cache as
 * {@code {content, model}}, the shape a whole answer is kept in, once the stream has ended well: not
 * after a failure or a cancel, and not when it said nothing. The model is the one the chunks name
 * (a fallback's, when the asked one failed). Fed by one stream, one chunk at a time.
 */
public final class StreamKeeper implements ObservedPublisher.Observer<ObjectNode> {
    private final AnswerCache cache;
    private final AnswerCache.Key key;
    private final float[] vector;
    private volatile String model;
    private final StringBuilder content = new StringBuilder();

    /** @param vector the question's embedding for the semantic cache, or null */
    public StreamKeeper(AnswerCache cache, AnswerCache.Key key, float[] vector, String model) {
        this.cache = cache;
        this.key = key;
        this.vector = vector;
        this.model = model;
    }

    @Override
    public ObjectNode onItem(ObjectNode chunk) {
        if (chunk.path("model").isTextual()) {
            model = chunk.path("model").asText();
        }
        content.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
        return chunk;
    }

    @Override
    public void onEnd(Throwable error, boolean cancelled) {
        if (error == null && !cancelled && content.length() > 0) {
            cache.store(key, JsonNodeFactory.instance.objectNode().put("content", content.toString()).put("model", model), vector, "content");
        }
    }
}
