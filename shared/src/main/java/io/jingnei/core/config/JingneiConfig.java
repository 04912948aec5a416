package io.jingnei.core.config;

import java.time.Duration;
import java.util.Optional;

import static io.jingnei.core.config.Settings.bool;
import static io.jingnei.core.config.Settings.duration;
import static io.jingnei.core.config.Settings.integer;

/**
 * The LLM and chat settings, read once per instance from {@link Env}. Prices and request caps are
 * read by their own packages ({@code PriceTable.from}, {@code RequestCaps.from}), so this package
 * stays the bottom layer that every other one may use. Each variable is documented
 * in docs/configuration.md. The API key is kept out of {@link #toString()} and every message.
 */
public final class JingneiConfig {
    public static final String DEFAULT_SYSTEM_PROMPT =
            "你是一名专业、友好的电商客服助手。请用简洁、准确的中文回答用户的问题，回答不超过200字。"
                    + "如果不确定答案，请如实告知并建议用户联系人工客服。";

    public final String llmBaseUrl;
    private final String llmApiKey;
    public final String defaultModel;
    public final Duration connectTimeout;
    public final Duration responseTimeout;
    public final Duration callDeadline;
    public final int maxRetries;
    public final Duration retryBaseDelay;
    public final Duration retryMaxDelay;
    public final Duration streamIdleTimeout;
    public final Duration keyCooldown;
    public final int breakerFailures;
    public final Duration breakerOpen;
    /** The longest wait inside a request before a retry; a longer Retry-After is passed back to the caller. */
    public final Duration maxRetryWait;
    /** Retries of one upstream, as a share of its requests over {@link #retryBudgetWindow}, with a floor. */
    public final int retryBudgetPercent;
    public final int retryBudgetMin;
    public final Duration retryBudgetWindow;
    public final int maxConnections;
    public final int historyTurns;
    public final String systemPrompt;
    public final boolean logPrompts;
    public final Duration modelsCacheTtl;

    private JingneiConfig(Env env) {
        this.llmBaseUrl = stripTrailingSlash(env.get("JINGNEI_LLM_BASE_URL").orElse("https://api.holysheep.ai/v1"));
        this.llmApiKey = env.get("JINGNEI_LLM_API_KEY").or(() -> env.get("HOLYSHEEP_API_KEY")).orElse(null);
        this.defaultModel = env.get("JINGNEI_LLM_MODEL").orElse("deepseek-v3.2");
        this.connectTimeout = duration(env, "JINGNEI_LLM_CONNECT_TIMEOUT", "5s");
        this.responseTimeout = duration(env, "JINGNEI_LLM_RESPONSE_TIMEOUT", "60s");
        this.callDeadline = duration(env, "JINGNEI_LLM_DEADLINE", "120s");
        this.maxRetries = integer(env, "JINGNEI_LLM_MAX_RETRIES", 3, 0, 10);
        this.retryBaseDelay = duration(env, "JINGNEI_LLM_RETRY_BASE_DELAY", "500ms");
        this.retryMaxDelay = duration(env, "JINGNEI_LLM_RETRY_MAX_DELAY", "8s");
        this.streamIdleTimeout = duration(env, "JINGNEI_STREAM_IDLE_TIMEOUT", "30s");
        this.keyCooldown = duration(env, "JINGNEI_KEY_COOLDOWN", "10m");
        this.breakerFailures = integer(env, "JINGNEI_BREAKER_FAILURES", 5, 1, 1000);
        this.breakerOpen = duration(env, "JINGNEI_BREAKER_OPEN", "30s");
        this.maxRetryWait = duration(env, "JINGNEI_MAX_RETRY_WAIT", "3s");
        this.retryBudgetPercent = integer(env, "JINGNEI_RETRY_BUDGET_PERCENT", 20, 0, 100);
        this.retryBudgetMin = integer(env, "JINGNEI_RETRY_BUDGET_MIN", 3, 0, 1000);
        this.retryBudgetWindow = duration(env, "JINGNEI_RETRY_BUDGET_WINDOW", "10s");
        this.maxConnections = integer(env, "JINGNEI_HTTP_MAX_CONNECTIONS", 1024, 1, 10_000);
        this.historyTurns = integer(env, "JINGNEI_HISTORY_TURNS", 5, 0, 100);
        this.systemPrompt = env.get("JINGNEI_SYSTEM_PROMPT").orElse(DEFAULT_SYSTEM_PROMPT);
        this.logPrompts = bool(env, "JINGNEI_LOG_PROMPTS", false);
        this.modelsCacheTtl = duration(env, "JINGNEI_MODELS_CACHE_TTL", "10m");
    }

    public static JingneiConfig from(Env env) {
        return new JingneiConfig(env);
    }

    /** The upstream key of the single-upstream setup, if one is configured. Callers must not log it. */
    public Optional<String> llmApiKey() {
        return Optional.ofNullable(llmApiKey);
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String toString() {
        return "JingneiConfig{llmBaseUrl=" + llmBaseUrl + ", apiKey=" + (llmApiKey == null ? "unset" : "set")
                + ", defaultModel=" + defaultModel + "}";
    }
}
