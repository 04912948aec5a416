package io.jingnei.core.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.error.JingneiException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One streamed answer's chat chunks as the Responses API's events, in the documented order:
 * {@code response.created}, {@code response.in_progress}, then per output item
 * {@code output_item.added}, its content part or argument deltas, their {@code .done} events and
 * {@code output_item.done}, and last {@code response.completed} (or {@code response.incomplete} when
 * the token limit cut it) with the usage. Every event carries a {@code sequence_number} from 0.
 *
 * <p>Nothing is sent before the first chunk, so a failure before it stays an ordinary HTTP error,
 * as on chat completions. One instance per stream; its methods are called one at a time (the
 * stream's signals are serial), never concurrently. Events are fresh nodes, never changed later.
 */
public final class ResponseEvents {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String requestId;
    private final ObjectNode echo;
    private final String askedModel;
    private ObjectNode response;
    private int sequence;
    private final List<ObjectNode> doneItems = new ArrayList<>();
    private OpenItem open;
    private final Map<Integer, OpenItem> callsByChatIndex = new HashMap<>();
    private int messages;
    private int calls;
    private String finishReason;
    private JsonNode usage;

    public ResponseEvents(String requestId, ObjectNode echo, String askedModel) {
        this.requestId = requestId;
        this.echo = echo;
        this.askedModel = askedModel;
    }

    public List<ObjectNode> onChunk(JsonNode chunk) {
        List<ObjectNode> events = new ArrayList<>();
        start(chunk.path("model").asText(askedModel), chunk.path("created").asLong(ResponseObjects.now()), events);
        if (chunk.path("usage").isObject()) {
            usage = chunk.get("usage");
        }
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("index").asInt(0) != 0) {
                continue;
            }
            JsonNode delta = choice.path("delta");
            String text = delta.path("content").asText("");
            if (!text.isEmpty()) {
                text(text, events);
            }
            for (JsonNode call : delta.path("tool_calls")) {
                toolCall(call, events);
            }
            if (choice.hasNonNull("finish_reason")) {
                finishReason = choice.get("finish_reason").asText();
            }
        }
        return events;
    }

    /** The stream ended well: open items close, then {@code response.completed} (or {@code .incomplete}) with the usage. */
    public List<ObjectNode> onEnd() {
        List<ObjectNode> events = new ArrayList<>();
        start(askedModel, ResponseObjects.now(), events);
        close(events);
        ObjectNode last = snapshot();
        ResponseObjects.finish(last, finishReason);
        ResponseObjects.setUsage(last, usage);
        events.add(event(last.path("status").asText().equals("incomplete") ? "response.incomplete" : "response.completed")
                .set("response", last));
        return events;
    }

    /**
     * The stream failed: {@code response.failed} with the error, when anything was sent; nothing
     * otherwise (the caller then gets the HTTP error). The transport ends the stream abnormally after it.
     */
    public List<ObjectNode> onFailure(JingneiException error) {
        List<ObjectNode> events = new ArrayList<>();
        if (response == null) {
            return events;
        }
        ObjectNode failed = snapshot();
        ResponseObjects.fail(failed, error);
        ResponseObjects.setUsage(failed, usage);
        events.add(event("response.failed").set("response", failed));
        return events;
    }

    private void start(String model, long createdAt, List<ObjectNode> events) {
        if (response != null) {
            return;
        }
        response = ResponseObjects.skeleton(requestId, model, createdAt, echo);
        events.add(event("response.created").set("response", response.deepCopy()));
        events.add(event("response.in_progress").set("response", response.deepCopy()));
    }

    private void text(String text, List<ObjectNode> events) {
        if (open == null || !open.message) {
            close(events);
            open = new OpenItem(true, ResponseObjects.messageId(requestId, messages++), doneItems.size());
            events.add(event("response.output_item.added").put("output_index", open.outputIndex)
                    .set("item", ResponseObjects.messageItem(open.id, "in_progress")));
            events.add(partEvent("response.content_part.added", null).set("part", ResponseObjects.textPart("")));
        }
        open.text.append(text);
        ObjectNode delta = partEvent("response.output_text.delta", text);
        delta.putArray("logprobs");
        events.add(delta);
    }

    private void toolCall(JsonNode call, List<ObjectNode> events) {
        int index = call.path("index").asInt(0);
        OpenItem item = callsByChatIndex.get(index);
        if (item == null) {
            close(events);
            int n = calls++;
            item = new OpenItem(false, ResponseObjects.functionCallId(requestId, n), doneItems.size());
            item.callId = ResponseObjects.callId(call.path("id").asText(null), requestId, n);
            item.name = call.path("function").path("name").asText("");
            callsByChatIndex.put(index, item);
            open = item;
            events.add(event("response.output_item.added").put("output_index", item.outputIndex)
                    .set("item", ResponseObjects.functionCall(item.id, item.callId, item.name, "", "in_progress")));
        }
        String arguments = call.path("function").path("arguments").asText("");
        if (!arguments.isEmpty()) {
            item.text.append(arguments);
            events.add(event("response.function_call_arguments.delta").put("item_id", item.id).put("output_index", item.outputIndex)
                    .put("delta", arguments));
        }
    }

    /** Ends the open item: its {@code .done} events, then {@code output_item.done} with the whole item. */
    private void close(List<ObjectNode> events) {
        if (open == null) {
            return;
        }
        String text = open.text.toString();
        ObjectNode done;
        if (open.message) {
            ObjectNode textDone = partEvent("response.output_text.done", null).put("text", text);
            textDone.putArray("logprobs");
            events.add(textDone);
            events.add(partEvent("response.content_part.done", null).set("part", ResponseObjects.textPart(text)));
            done = ResponseObjects.messageItem(open.id, "completed");
            ((ArrayNode) done.get("content")).add(ResponseObjects.textPart(text));
        } else {
            events.add(event("response.function_call_arguments.done").put("item_id", open.id).put("output_index", open.outputIndex)
                    .put("name", open.name).put("arguments", text));
            done = ResponseObjects.functionCall(open.id, open.callId, open.name, text, "completed");
        }
        doneItems.add(done);
        events.add(event("response.output_item.done").put("output_index", open.outputIndex).set("item", done.deepCopy()));
        open = null;
    }

    private ObjectNode snapshot() {
        ObjectNode copy = response.deepCopy();
        ArrayNode output = copy.putArray("output");
        doneItems.forEach(item -> output.add(item.deepCopy()));
        return copy;
    }

    private ObjectNode partEvent(String type, String delta) {
        ObjectNode event = event(type).put("item_id", open.id).put("output_index", open.outputIndex).put("content_index", 0);
        return delta == null ? event : event.put("delta", delta);
    }

    private ObjectNode event(String type) {
        return JSON.objectNode().put("type", type).put("sequence_number", sequence++);
    }

    private static final class OpenItem {
        final boolean message;
        final String id;
        final int outputIndex;
        final StringBuilder text = new StringBuilder();
        String callId;
        String name;

        OpenItem(boolean message, String id, int outputIndex) {
            this.message = message;
            this.id = id;
            this.outputIndex = outputIndex;
        }
    }
}
