package io.jingnei.core;

import io.jingnei.core.chat.ChatLimits;
import io.jingnei.core.chat.ChatService;
import io.jingnei.core.config.Env;
import io.jingnei.core.config.JingneiConfig;
import io.jingnei.core.http.SharedHttpClient;
import io.jingnei.core.llm.Completions;
import io.jingnei.core.llm.LlmClient;
import io.jingnei.core.llm.ModelCatalog;
import io.jingnei.core.llm.OpenAiCompatibleClient;
import io.jingnei.core.llm.RetryPolicy;
import io.jingnei.core.llm.TimeSource;
import io.jingnei.core.log.CallLog;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Everything one function instance holds, built once at init and shared by all its requests:
 * configuration, the pooled HTTP client, the LLM client and the services over them.
 */
public final class JingneiInstance implements AutoCloseable {
    private final JingneiConfig config;
    private final SharedHttpClient http;
    private final Completions completions;
    private final ChatService chat;

    private JingneiInstance(JingneiConfig config, SharedHttpClient http, Completions completions, ChatService chat) {
        this.config = config;
        this.http = http;
        this.completions = completions;
        this.chat = chat;
    }

    public static JingneiInstance boot(Env env) {
        return boot(JingneiConfig.from(env), TimeSource.system(), CallLog.stdout());
    }

    public static JingneiInstance boot(JingneiConfig config, TimeSource time, CallLog log) {
        SharedHttpClient http = new SharedHttpClient(config.maxConnections, config.connectTimeout, config.responseTimeout);
        RetryPolicy retries = new RetryPolicy(config.maxRetries, config.retryBaseDelay, config.retryMaxDelay,
                () -> ThreadLocalRandom.current().nextDouble());
        LlmClient llm = new OpenAiCompatibleClient(http, config.llmBaseUrl, config.llmApiKey().orElse(null),
                config.responseTimeout, config.streamIdleTimeout, retries, config.callDeadline, time);
        ModelCatalog catalog = new ModelCatalog(llm, config.modelsCacheTtl, time);
        if (config.llmApiKey().isPresent()) {
            catalog.list(); // warm the model list in the background so the first call does not wait for it
        }
        Completions completions = new Completions(llm, catalog, config.prices, log, config.defaultModel, config.logPrompts);
        ChatService chat = new ChatService(completions, ChatLimits.from(config), config.systemPrompt, config.defaultModel);
        return new JingneiInstance(config, http, completions, chat);
    }

    public JingneiConfig config() {
        return config;
    }

    public SharedHttpClient http() {
        return http;
    }

    public Completions completions() {
        return completions;
    }

    public ChatService chat() {
        return chat;
    }

    @Override
    public void close() {
        http.close();
    }
}
