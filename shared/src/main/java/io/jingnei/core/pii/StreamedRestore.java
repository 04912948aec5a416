package io.jingnei.core.pii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.stream.ObservedPublisher;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Flow;

/**
 * The stage of a streamed answer that gives the customer's values back: each chunk's content,
 * reasoning and tool-call arguments are restored as they pass, as {@link BodyMasking#unmaskAnswer}
 * does for a whole answer, holding back only a possibly unfinished placeholder ({@code [手机} +
 * {@code 号1]}) and releasing it with the choice's last chunk. A stream whose body had nothing
 * masked passes through without this stage. One stream, one thread at a time (the stream's own).
 */
public final class StreamedRestore implements ObservedPublisher.Observer<ObjectNode> {
    private final PiiSession session;
    /** Per choice, per streamed field: content and reasoning each arrive as a stream of their own. */
    private final Map<Integer, Map<String, StreamUnmasker>> perChoice = new HashMap<>();
    /** Per choice, per tool-call index: each call's arguments arrive as a stream of their own. */
    private final Map<Integer, Map<Integer, StreamUnmasker>> perToolCall = new HashMap<>();

    private StreamedRestore(PiiSession session) {
        this.session = session;
    }

    /** {@code chunks} with the values {@code masking} hid restored; {@code chunks} itself when it hid none. */
    public static Flow.Publisher<ObjectNode> around(Flow.Publisher<ObjectNode> chunks, BodyMasking masking) {
        PiiSession session = masking.restoringSession();
        return session == null ? chunks : new ObservedPublisher<>(chunks, new StreamedRestore(session));
    }

    /** A restorer for one stream of {@code masking}'s body, fed chunk by chunk. */
    static StreamedRestore of(BodyMasking masking) { // visible for tests
        return new StreamedRestore(masking.restoringSession());
    }

    @Override
    public ObjectNode onItem(ObjectNode chunk) {
        restore(chunk);
        return chunk;
    }

    @Override
    public void onEnd(Throwable error, boolean cancelled) {
        // Nothing to release: what is held back is at most the start of a placeholder, no value of
        // the customer's, and a stream that ends without its last chunk has no chunk to carry it.
    }

    /** Restores one chunk in place. */
    public void restore(ObjectNode chunk) {
        if (session == null) {
            return;
        }
        for (JsonNode choice : chunk.path("choices")) {
            int index = choice.path("index").asInt(0);
            JsonNode delta = choice.path("delta");
            boolean last = choice.hasNonNull("finish_reason");
            if (!delta.isObject()) {
                continue;
            }
            Map<String, StreamUnmasker> fields = perChoice.computeIfAbsent(index, i -> new HashMap<>());
            restoreText(fields, (ObjectNode) delta, "content", last);
            restoreText(fields, (ObjectNode) delta, "reasoning_content", last);
            restoreToolCalls(perToolCall.computeIfAbsent(index, i -> new TreeMap<>()), (ObjectNode) delta, last);
        }
    }

    private void restoreText(Map<String, StreamUnmasker> fields, ObjectNode delta, String field, boolean last) {
        if (!delta.has(field) && !fields.containsKey(field)) {
            return;
        }
        StreamUnmasker unmasker = fields.computeIfAbsent(field, f -> session.streamUnmasker());
        String text = delta.path(field).isTextual() ? delta.path(field).asText() : "";
        String out = unmasker.push(text) + (last ? unmasker.finish() : "");
        if (delta.has(field) || !out.isEmpty()) {
            delta.put(field, out);
        }
    }

    /** {@code delta.tool_calls[].function.arguments}; a call's held-back rest goes out as one more entry of the last chunk. */
    private void restoreToolCalls(Map<Integer, StreamUnmasker> calls, ObjectNode delta, boolean last) {
        int position = 0;
        for (JsonNode call : delta.path("tool_calls")) {
            int callIndex = call.has("index") ? call.path("index").asInt() : position;
            position++;
            JsonNode function = call.path("function");
            if (function.isObject() && function.path("arguments").isTextual()) {
                StreamUnmasker unmasker = calls.computeIfAbsent(callIndex, i -> session.streamUnmasker());
                ((ObjectNode) function).put("arguments", unmasker.push(function.path("arguments").asText()));
            }
        }
        if (!last) {
            return;
        }
        for (Map.Entry<Integer, StreamUnmasker> call : calls.entrySet()) {
            String rest = call.getValue().finish();
            if (!rest.isEmpty()) {
                ArrayNode entries = delta.path("tool_calls").isArray() ? (ArrayNode) delta.get("tool_calls") : delta.putArray("tool_calls");
                entries.addObject().put("index", call.getKey()).putObject("function").put("arguments", rest);
            }
        }
    }
}
