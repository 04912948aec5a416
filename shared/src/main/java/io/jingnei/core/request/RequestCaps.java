package io.jingnei.core.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.config.Env;
import io.jingnei.core.config.Settings;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

import java.util.List;
import java.util.Set;

/**
 * What a caller may make the operator pay for, on every route: input sizes, number of choices,
 * output tokens, sampling parameters. Checked before anything goes upstream; each refusal names
 * the field ({@code param}, as OpenAI's errors do) and the limit (and the setting that raises it).
 * Caps bound a single request's size; what calls cost is bounded by the budgets of JINGNEI_LIMITS,
 * which reserve a call's possible cost at admission. So the output cap is the model's own output
 * limit unless the operator sets a lower one, and system text is bounded only by the whole prompt.
 */
public final class RequestCaps {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    /**
     * Fields that some OpenAI-compatible servers (vLLM, TGI, SGLang) honour and that make a call
     * cost more than its {@code max_tokens} says: several hidden generations, forced long answers.
     */
    static final String DEFAULT_DENIED = "best_of,use_beam_search,min_tokens,ignore_eos,min_new_tokens";

    public final int maxQueryChars;
    public final int maxHistoryChars;
    public final int maxN;
    /** The operator's own output cap, or null: then each model's output limit applies. */
    public final Integer maxOutputTokens;
    public final int maxBodyBytes;
    /** All prompt text of one call (see {@link PromptText}; images and other media not counted). */
    public final int maxPromptChars;
    /** {@code /v1} body fields refused with a 400 ({@code JINGNEI_DENIED_PARAMS}). */
    public final Set<String> deniedParams;

    public RequestCaps(int maxQueryChars, int maxHistoryChars, int maxN, Integer maxOutputTokens, int maxBodyBytes,
                       int maxPromptChars, Set<String> deniedParams) {
        this.maxQueryChars = maxQueryChars;
        this.maxHistoryChars = maxHistoryChars;
        this.maxN = maxN;
        this.maxOutputTokens = maxOutputTokens;
        this.maxBodyBytes = maxBodyBytes;
        this.maxPromptChars = maxPromptChars;
        this.deniedParams = Set.copyOf(deniedParams);
    }

    public static RequestCaps from(Env env) {
        List<String> denied = env.get("JINGNEI_DENIED_PARAMS").isPresent() ? Settings.list(env, "JINGNEI_DENIED_PARAMS")
                : List.of(DEFAULT_DENIED.split(","));
        return new RequestCaps(
                Settings.integer(env, "JINGNEI_MAX_QUERY_CHARS", 4000, 1, 1_000_000),
                Settings.integer(env, "JINGNEI_MAX_HISTORY_CHARS", 16000, 0, 4_000_000),
                Settings.integer(env, "JINGNEI_MAX_N", 1, 1, 128),
                env.get("JINGNEI_MAX_OUTPUT_TOKENS").isPresent() ? Settings.integer(env, "JINGNEI_MAX_OUTPUT_TOKENS", 0, 1, 10_000_000) : null,
                (int) Settings.bytes(env, "JINGNEI_MAX_BODY_BYTES", 8 << 20, 1024, 256 << 20),
                Settings.integer(env, "JINGNEI_MAX_PROMPT_CHARS", 200_000, 1, 10_000_000),
                new java.util.LinkedHashSet<>(denied));
    }

    /** A required question: present, not blank, within JINGNEI_MAX_QUERY_CHARS. */
    public void query(String field, String text) {
        if (text == null || text.isBlank()) {
            throw invalid("field '" + field + "' is required and must not be empty", field);
        }
        if (text.length() > maxQueryChars) {
            throw tooLarge("field '" + field + "' has " + text.length() + " characters; the limit is " + maxQueryChars
                    + " (JINGNEI_MAX_QUERY_CHARS)", field);
        }
    }

    public void historyChars(long chars) {
        if (chars > maxHistoryChars) {
            throw tooLarge("field 'history' has " + chars + " characters; the limit is " + maxHistoryChars + " (JINGNEI_MAX_HISTORY_CHARS)",
                    "history");
        }
    }

    /** A caller's system prompt (RAG apps put long context there): bounded by the whole prompt's cap, nothing lower. */
    public void systemPrompt(String field, String text) {
        if (text != null && text.length() > maxPromptChars) {
            throw tooLarge("field '" + field + "' has " + text.length() + " characters; the limit is " + maxPromptChars
                    + " (JINGNEI_MAX_PROMPT_CHARS)", field);
        }
    }

    /** The most output tokens a call to a model with this output limit may ask for. */
    public int outputCap(int modelOutputLimit) {
        return maxOutputTokens == null ? modelOutputLimit : Math.min(maxOutputTokens, modelOutputLimit);
    }

    public void maxTokens(String field, Integer value, int modelOutputLimit) {
        int cap = outputCap(modelOutputLimit);
        if (value != null && (value < 1 || value > cap)) {
            throw invalid("field '" + field + "' must be between 1 and " + cap + capSource(modelOutputLimit), field);
        }
    }

    public void temperature(Double value) {
        if (value != null && !(Double.isFinite(value) && value >= 0 && value <= 2)) {
            throw invalid("field 'temperature' must be a number between 0 and 2", "temperature");
        }
    }

    /**
     * An OpenAI chat-completions body: shape, then every paid-for parameter, against the output
     * limit of the model it asks for. Unknown fields pass through to the upstream untouched, except
     * the denied ones.
     */
    public void openAiChat(ObjectNode body, int modelOutputLimit) {
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw invalid("'messages' is required and must be a non-empty array", "messages");
        }
        if (body.has("model") && !body.path("model").isTextual()) {
            throw invalid("'model' must be a string", "model");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject() || !ROLES.contains(message.path("role").asText())) {
                throw invalid("messages[" + i + "] must be an object with a role of " + String.join(", ", new java.util.TreeSet<>(ROLES)),
                        "messages[" + i + "].role");
            }
        }
        for (String denied : deniedParams) {
            if (body.has(denied)) {
                throw invalid("'" + denied + "' is not accepted: it makes a call cost more than its max_tokens says (JINGNEI_DENIED_PARAMS)",
                        denied);
            }
        }
        long promptChars = PromptText.chars(body);
        if (promptChars > maxPromptChars) {
            throw tooLarge("the prompt (messages, tools, prediction) has " + promptChars + " characters of text; the limit is "
                    + maxPromptChars + " (JINGNEI_MAX_PROMPT_CHARS)", "messages");
        }
        int outputCap = outputCap(modelOutputLimit);
        integerField(body, "n", 1, maxN, " (JINGNEI_MAX_N)");
        integerField(body, "max_tokens", 1, outputCap, capSource(modelOutputLimit));
        integerField(body, "max_completion_tokens", 1, outputCap, capSource(modelOutputLimit));
        numberField(body, "temperature", 0, 2);
        numberField(body, "top_p", 0, 1);
        numberField(body, "presence_penalty", -2, 2);
        numberField(body, "frequency_penalty", -2, 2);
        integerField(body, "top_logprobs", 0, 20, "");
        if (body.has("stream") && !body.get("stream").isBoolean() && !body.get("stream").isNull()) {
            throw invalid("'stream' must be true or false", "stream");
        }
        if (body.has("stream_options") && !body.get("stream_options").isObject() && !body.get("stream_options").isNull()) {
            throw invalid("'stream_options' must be an object", "stream_options");
        }
    }

    private String capSource(int modelOutputLimit) {
        return maxOutputTokens != null && maxOutputTokens < modelOutputLimit ? " (JINGNEI_MAX_OUTPUT_TOKENS)"
                : " (the model's output limit)";
    }

    private static void integerField(ObjectNode body, String field, int min, int max, String source) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            throw invalid("'" + field + "' must be a whole number from " + min + " to " + max + source, field);
        }
    }

    private static void numberField(ObjectNode body, String field, double min, double max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isNumber() || !Double.isFinite(value.asDouble()) || value.asDouble() < min || value.asDouble() > max) {
            throw invalid("'" + field + "' must be a number from " + (int) min + " to " + (int) max, field);
        }
    }

    private static JingneiException invalid(String message, String param) {
        return new JingneiException(ErrorKind.INVALID_REQUEST, message).about(param);
    }

    private static JingneiException tooLarge(String message, String param) {
        return new JingneiException(ErrorKind.PAYLOAD_TOO_LARGE, message).about(param);
    }
}
