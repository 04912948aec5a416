package io.jingnei.core.config;

import io.jingnei.core.pricing.PriceTable;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting, read once per instance from {@link Env}. Each variable is documented in the README.
 * The API key is kept out of {@link #toString()} and every message.
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
    public final int maxConnections;
    public final int historyTurns;
    public final int maxQueryChars;
    public final int maxHistoryChars;
    public final String systemPrompt;
    public final PriceTable prices;
    public final boolean logPrompts;
    public final Duration modelsCacheTtl;
    /** Client key to user id, for the OpenAI-compatible surface. Empty means the surface is open. */
    public final Map<String, String> clientKeys;

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
        this.maxConnections = integer(env, "JINGNEI_HTTP_MAX_CONNECTIONS", 256, 1, 10_000);
        this.historyTurns = integer(env, "JINGNEI_HISTORY_TURNS", 5, 0, 100);
        this.maxQueryChars = integer(env, "JINGNEI_MAX_QUERY_CHARS", 4000, 1, 1_000_000);
        this.maxHistoryChars = integer(env, "JINGNEI_MAX_HISTORY_CHARS", 16000, 0, 4_000_000);
        this.systemPrompt = env.get("JINGNEI_SYSTEM_PROMPT").orElse(DEFAULT_SYSTEM_PROMPT);
        BigDecimal cnyPerUsd = decimal(env, "JINGNEI_CNY_PER_USD", "1.0");
        this.prices = new PriceTable(env.get("JINGNEI_PRICES")
                .map(spec -> PriceTable.withOverrides(PriceTable.defaults(), spec, "JINGNEI_PRICES"))
                .orElseGet(PriceTable::defaults), cnyPerUsd);
        this.logPrompts = bool(env, "JINGNEI_LOG_PROMPTS", false);
        this.modelsCacheTtl = duration(env, "JINGNEI_MODELS_CACHE_TTL", "10m");
        this.clientKeys = clientKeys(env.get("JINGNEI_CLIENT_KEYS").orElse(""));
    }

    public static JingneiConfig from(Env env) {
        return new JingneiConfig(env);
    }

    /** The upstream key, if one is configured. Callers must not log it. */
    public Optional<String> llmApiKey() {
        return Optional.ofNullable(llmApiKey);
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static Duration duration(Env env, String name, String fallback) {
        Duration d = Durations.parse(name, env.get(name).orElse(fallback));
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(name + " must be positive");
        }
        return d;
    }

    private static int integer(Env env, String name, int fallback, int min, int max) {
        Optional<String> text = env.get(name);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value < min || value > max) {
                throw new ConfigException(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, got '" + text.get() + "'");
        }
    }

    private static BigDecimal decimal(Env env, String name, String fallback) {
        String text = env.get(name).orElse(fallback);
        try {
            BigDecimal value = new BigDecimal(text);
            if (value.signum() <= 0) {
                throw new ConfigException(name + " must be positive, got " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a number, got '" + text + "'");
        }
    }

    private static boolean bool(Env env, String name, boolean fallback) {
        Optional<String> text = env.get(name);
        if (text.isEmpty()) {
            return fallback;
        }
        switch (text.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true": case "1": case "yes": case "on": return true;
            case "false": case "0": case "no": case "off": return false;
            default: throw new ConfigException(name + " must be true or false, got '" + text.get() + "'");
        }
    }

    /** {@code key1:user1,key2:user2}; values are secrets, so errors name the position only. */
    private static Map<String, String> clientKeys(String spec) {
        Map<String, String> keys = new LinkedHashMap<>();
        String[] entries = spec.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.lastIndexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new ConfigException("JINGNEI_CLIENT_KEYS entry " + (i + 1) + " must look like key:user_id");
            }
            keys.put(entry.substring(0, colon).trim(), entry.substring(colon + 1).trim());
        }
        return Collections.unmodifiableMap(keys);
    }

    @Override
    public String toString() {
        return "JingneiConfig{llmBaseUrl=" + llmBaseUrl + ", apiKey=" + (llmApiKey == null ? "unset" : "set")
                + ", defaultModel=" + defaultModel + ", clientKeys=" + clientKeys.size() + "}";
    }
}
