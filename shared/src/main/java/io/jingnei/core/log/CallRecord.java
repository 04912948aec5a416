package io.jingnei.core.log;

import io.jingnei.core.error.JingneiException;
import io.jingnei.core.pricing.Cost;
import io.jingnei.core.pricing.Usage;

import java.util.LinkedHashMap;
import java.util.Map;

/** The fields of one call's log line. Built by the core at the end of a call. */
public final class CallRecord {
    final String status;
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private boolean bug;

    public CallRecord(String requestId, String function, String model, String userId, String status) {
        this.status = status;
        fields.put("request_id", requestId);
        fields.put("function", function);
        fields.put("model", model);
        if (userId != null) {
            fields.put("user_id", userId);
        }
        fields.put("status", status);
    }

    public CallRecord usage(Usage usage, Cost cost) {
        if (usage != null) {
            fields.put("prompt_tokens", usage.promptTokens);
            fields.put("completion_tokens", usage.completionTokens);
            fields.put("total_tokens", usage.totalTokens);
            if (usage.cachedPromptTokens > 0) {
                fields.put("cached_prompt_tokens", usage.cachedPromptTokens);
            }
        }
        if (cost != null) {
            fields.put("cost_usd", cost.usd);
            fields.put("cost_cny", cost.cny);
        }
        return this;
    }

    public CallRecord put(String name, Object value) {
        if (value != null) {
            fields.put(name, value);
        }
        return this;
    }

    /** Every field of {@code more} (a call's notes), after the ones already put. */
    public CallRecord putAll(Map<String, Object> more) {
        more.forEach(this::put);
        return this;
    }

    /** For a bug (an internal error), the stack of its cause: this line is where it is logged, once. */
    public CallRecord stack(JingneiException failure) {
        if (failure != null && failure.internal() && failure.getCause() != null && !failure.stackLogged()) {
            failure.markStackLogged();
            bug = true;
            fields.put("stack", CallLog.stackOf(failure.getCause()));
        }
        return this;
    }

    String level() {
        if (bug) {
            return "ERROR";
        }
        return status.equals("success") || status.equals("no_context") ? "INFO" : "WARN";
    }

    Map<String, Object> fields() {
        return fields;
    }
}
