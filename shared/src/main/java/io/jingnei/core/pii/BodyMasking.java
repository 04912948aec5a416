package io.jingnei.core.pii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Masking applied to an OpenAI chat body on its way upstream and undone on the answer coming back:
 * every text of the body (see {@link #forEachText}) is masked with one session, so the same value gets the same placeholder across the whole conversation; the
 * system prompt gains one line asking the model to keep placeholders as they are. In block mode a
 * body with personal information is refused, naming the kinds found, never the values.
 */
public final class BodyMasking {
    /** Told to the model whenever something was masked. */
    public static final String KEEP_PLACEHOLDERS = "对话中形如[手机号1]、[身份证1]、[银行卡1]的方括号占位符代表已隐去的用户个人信息，"
            + "回答中需要提到时请原样保留这些占位符，不要改写、拆分或猜测其内容。";

    /** A message's own texts besides content and calls; {@code name} too (a customer's name, or a phone number as one). */
    private static final String[] MESSAGE_TEXTS = {"name", "reasoning_content", "refusal"};

    private final PiiPolicy policy;
    private final PiiSession session;

    private BodyMasking(PiiPolicy policy, PiiSession session) {
        this.policy = policy;
        this.session = session;
    }

    /** Masks {@code body} in place (mask mode), refuses it (block mode), or leaves it (off). */
    public static BodyMasking apply(PiiPolicy policy, ObjectNode body) {
        if (policy.mode() == PiiMode.OFF) {
            return new BodyMasking(policy, null);
        }
        if (policy.mode() == PiiMode.BLOCK) {
            Set<String> kinds = new LinkedHashSet<>();
            forEachText(body, text -> {
                for (PiiMatch match : policy.find(text)) {
                    kinds.add(match.kind());
                }
                return text;
            });
            if (!kinds.isEmpty()) {
                throw PiiPolicy.refusal(kinds);
            }
            return new BodyMasking(policy, null);
        }
        PiiSession session = policy.newSession();
        forEachText(body, session::mask);
        if (session.masked()) {
            addNote(body);
        }
        return new BodyMasking(policy, session);
    }

    /** Kind name to number of distinct values masked, for the log line; empty when nothing was. */
    public Map<String, Integer> counts() {
        return session == null ? Map.of() : session.counts();
    }

    public boolean masked() {
        return session != null && session.masked();
    }

    /** What restores this body's values later, in another process; empty when nothing was masked. */
    public Map<String, String> restorable() {
        return masked() ? session.restorable() : Map.of();
    }

    /** Restores the values in a whole answer, in place. */
    public void unmaskAnswer(ObjectNode response) {
        if (!masked()) {
            return;
        }
        for (JsonNode choice : response.path("choices")) {
            JsonNode message = choice.path("message");
            editField(message, "content", session::unmask);
            editField(message, "reasoning_content", session::unmask);
            for (JsonNode call : message.path("tool_calls")) {
                editField(call.path("function"), "arguments", session::unmask);
            }
            editField(message.path("function_call"), "arguments", session::unmask);
        }
    }

    /** Restores one text, e.g. an extract built from a masked answer. */
    public String unmask(String text) {
        return masked() && text != null ? session.unmask(text) : text;
    }

    /** The session that restores this body's values; null when nothing was masked. */
    PiiSession restoringSession() {
        return masked() ? session : null;
    }

    private interface TextEdit {
        String apply(String text);
    }

    /**
     * Every text of a {@code /v1} body that reaches the model: each message's content (a string, text
     * parts, or one part as an object), {@code name}, {@code reasoning_content}, {@code refusal},
     * tool-call and legacy function-call arguments; {@code prediction}'s content; the tools'
     * descriptions, also those inside their parameter schemas. Not image, audio or file data (masking
     * a base64 blob would corrupt it) nor schema keywords (the tool contract).
     */
    private static void forEachText(ObjectNode body, TextEdit edit) {
        for (JsonNode message : body.path("messages")) {
            if (!message.isObject()) {
                continue;
            }
            editContent(message, edit);
            for (String field : MESSAGE_TEXTS) {
                editField(message, field, edit);
            }
            for (JsonNode call : message.path("tool_calls")) {
                editField(call.path("function"), "arguments", edit);
            }
            editField(message.path("function_call"), "arguments", edit);
        }
        editContent(body.path("prediction"), edit);
        for (JsonNode tool : body.path("tools")) {
            editField(tool.path("function"), "description", edit);
            editDescriptions(tool.path("function").path("parameters"), edit);
        }
    }

    private static void editContent(JsonNode holder, TextEdit edit) {
        JsonNode content = holder.path("content");
        if (content.isTextual()) {
            editField(holder, "content", edit);
        } else if (content.isArray()) {
            for (JsonNode part : content) {
                editField(part, "text", edit);
            }
        } else {
            editField(content, "text", edit);
        }
    }

    /** A JSON schema's {@code description}s, at any depth. */
    private static void editDescriptions(JsonNode schema, TextEdit edit) {
        if (schema.isObject()) {
            editField(schema, "description", edit);
        }
        for (JsonNode child : schema) {
            if (child.isContainerNode()) {
                editDescriptions(child, edit);
            }
        }
    }

    private static void editField(JsonNode node, String field, TextEdit edit) {
        if (node.isObject() && node.path(field).isTextual()) {
            ((ObjectNode) node).put(field, edit.apply(node.path(field).asText()));
        }
    }

    private static void addNote(ObjectNode body) {
        ArrayNode messages = (ArrayNode) body.path("messages");
        JsonNode first = messages.path(0);
        if (first.isObject() && "system".equals(first.path("role").asText()) && first.path("content").isTextual()) {
            ((ObjectNode) first).put("content", first.path("content").asText() + "\n" + KEEP_PLACEHOLDERS);
        } else {
            messages.insertObject(0).put("role", "system").put("content", KEEP_PLACEHOLDERS);
        }
    }
}
