package io.jingnei.core.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.config.Env;
import io.jingnei.core.config.Settings;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

import java.util.Set;

/**
 * What a caller may make the operator pay for, on every route: input sizes, number of choices,
 * output tokens, sampling parameters. Checked before anything goes upstream; each refusal names
 * the field and the limit (and the setting that raises it).
 */
public final class RequestCaps {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    public final int maxQueryChars;
    public final int maxHistoryChars;
    public final int maxSystemPromptChars;
    public final int maxN;
    public final int maxOutputTokens;
    public final int maxBodyBytes;
    /** All message text of one {@code /v1} call (images and other parts not counted). */
    public final int maxPromptChars;

    public RequestCaps(int maxQueryChars, int maxHistoryChars, int maxSystemPromptChars, int maxN, int maxOutputTokens, int maxBodyBytes,
                       int maxPromptChars) {
        this.maxQueryChars = maxQueryChars;
        this.maxHistoryChars = maxHistoryChars;
        this.maxSystemPromptChars = maxSystemPromptChars;
        this.maxN = maxN;
        this.maxOutputTokens = maxOutputTokens;
        this.maxBodyBytes = maxBodyBytes;
        this.maxPromptChars = maxPromptChars;
    }

    public static RequestCaps from(Env env) {
        return new RequestCaps(
                Settings.integer(env, "JINGNEI_MAX_QUERY_CHARS", 4000, 1, 1_000_000),
                Settings.integer(env, "JINGNEI_MAX_HISTORY_CHARS", 16000, 0, 4_000_000),
                Settings.integer(env, "JINGNEI_MAX_SYSTEM_PROMPT_CHARS", 4000, 0, 1_000_000),
                Settings.integer(env, "JINGNEI_MAX_N", 1, 1, 128),
                Settings.integer(env, "JINGNEI_MAX_OUTPUT_TOKENS", 4096, 1, 1_000_000),
                (int) Settings.bytes(env, "JINGNEI_MAX_BODY_BYTES", 8 << 20, 1024, 256 << 20),
                Settings.integer(env, "JINGNEI_MAX_PROMPT_CHARS", 200_000, 1, 10_000_000));
    }

    /** A required question: present, not blank, within JINGNEI_MAX_QUERY_CHARS. */
    public void query(String field, String text) {
        if (text == null || text.isBlank()) {
            throw invalid("field '" + field + "' is required and must not be empty");
        }
        if (text.length() > maxQueryChars) {
            throw tooLarge("field '" + field + "' has " + text.length() + " characters; the limit is " + maxQueryChars
                    + " (JINGNEI_MAX_QUERY_CHARS)");
        }
    }

    public void historyChars(long chars) {
        if (chars > maxHistoryChars) {
            throw tooLarge("field 'history' has " + chars + " characters; the limit is " + maxHistoryChars + " (JINGNEI_MAX_HISTORY_CHARS)");
        }
    }

    public void systemPrompt(String field, String text) {
        if (text != null && text.length() > maxSystemPromptChars) {
            throw tooLarge("field '" + field + "' has " + text.length() + " characters; the limit is " + maxSystemPromptChars
                    + " (JINGNEI_MAX_SYSTEM_PROMPT_CHARS)");
        }
    }

    public void maxTokens(String field, Integer value) {
        if (value != null && (value < 1 || value > maxOutputTokens)) {
            throw invalid("field '" + field + "' must be between 1 and " + maxOutputTokens + " (JINGNEI_MAX_OUTPUT_TOKENS)");
        }
    }

    public void temperature(Double value) {
        if (value != null && !(Double.isFinite(value) && value >= 0 && value <= 2)) {
            throw invalid("field 'temperature' must be a number between 0 and 2");
        }
    }

    /**
     * An OpenAI chat-completions body: shape, then every paid-for parameter. Unknown fields pass
     * through to the upstream untouched.
     */
    public void openAiChat(ObjectNode body) {
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw invalid("'messages' is required and must be a non-empty array");
        }
        if (body.has("model") && !body.path("model").isTextual()) {
            throw invalid("'model' must be a string");
        }
        long systemChars = 0;
        long allChars = 0;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject() || !ROLES.contains(message.path("role").asText())) {
                throw invalid("messages[" + i + "] must be an object with a role of " + String.join(", ", new java.util.TreeSet<>(ROLES)));
            }
            String role = message.path("role").asText();
            long chars = textLength(message.path("content"));
            allChars += chars;
            if (role.equals("system") || role.equals("developer")) {
                systemChars += chars;
            }
        }
        if (allChars > maxPromptChars) {
            throw tooLarge("the messages have " + allChars + " characters of text; the limit is " + maxPromptChars
                    + " (JINGNEI_MAX_PROMPT_CHARS)");
        }
        if (systemChars > maxSystemPromptChars) {
            throw tooLarge("the system messages have " + systemChars + " characters; the limit is " + maxSystemPromptChars
                    + " (JINGNEI_MAX_SYSTEM_PROMPT_CHARS)");
        }
        integerField(body, "n", 1, maxN, "JINGNEI_MAX_N");
        integerField(body, "max_tokens", 1, maxOutputTokens, "JINGNEI_MAX_OUTPUT_TOKENS");
        integerField(body, "max_completion_tokens", 1, maxOutputTokens, "JINGNEI_MAX_OUTPUT_TOKENS");
        numberField(body, "temperature", 0, 2);
        numberField(body, "top_p", 0, 1);
        numberField(body, "presence_penalty", -2, 2);
        numberField(body, "frequency_penalty", -2, 2);
        integerField(body, "top_logprobs", 0, 20, null);
        if (body.has("stream") && !body.get("stream").isBoolean() && !body.get("stream").isNull()) {
            throw invalid("'stream' must be true or false");
        }
        if (body.has("stream_options") && !body.get("stream_options").isObject() && !body.get("stream_options").isNull()) {
            throw invalid("'stream_options' must be an object");
        }
    }

    private static long textLength(JsonNode content) {
        if (content.isTextual()) {
            return content.asText().length();
        }
        long n = 0;
        for (JsonNode part : content) {
            n += part.path("text").asText("").length();
        }
        return n;
    }

    private static void integerField(ObjectNode body, String field, int min, int max, String setting) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            throw invalid("'" + field + "' must be a whole number from " + min + " to " + max + (setting == null ? "" : " (" + setting + ")"));
        }
    }

    private static void numberField(ObjectNode body, String field, double min, double max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isNumber() || !Double.isFinite(value.asDouble()) || value.asDouble() < min || value.asDouble() > max) {
            throw invalid("'" + field + "' must be a number from " + (int) min + " to " + (int) max);
        }
    }

    private static JingneiException invalid(String message) {
        return new JingneiException(ErrorKind.INVALID_REQUEST, message);
    }

    private static JingneiException tooLarge(String message) {
        return new JingneiException(ErrorKind.PAYLOAD_TOO_LARGE, message);
    }
}
