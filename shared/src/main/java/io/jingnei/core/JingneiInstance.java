package io.jingnei.core;

import io.jingnei.core.batch.BatchLimits;
import io.jingnei.core.batch.FaqBatch;
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
import io.jingnei.core.rag.RagBoot;
import io.jingnei.core.rag.RagConfig;
import io.jingnei.core.rag.RagService;
import io.jingnei.core.storage.Credentials;
import io.jingnei.core.storage.CredentialsProvider;
import io.jingnei.core.storage.FileObjectStore;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.storage.ObjectStores;
import io.jingnei.core.storage.S3ObjectStore;
import io.jingnei.core.storage.S3Settings;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Everything one function instance holds, built once at init and shared by all its requests:
 * configuration, the pooled HTTP client (LLM calls and object storage alike), the services over
 * them. RAG (model load, index fetch) starts in the background, so chat is ready at once.
 */
public final class JingneiInstance implements AutoCloseable {
    private final JingneiConfig config;
    private final SharedHttpClient http;
    private final ObjectStore store;
    private final LlmClient llm;
    private final Completions completions;
    private final ChatService chat;
    private final CompletableFuture<RagService> rag;
    private final CallLog log;
    private final RagConfig ragConfig;
    private final FaqBatch batch;
    private final BatchLimits batchLimits;

    private JingneiInstance(JingneiConfig config, SharedHttpClient http, ObjectStore store, LlmClient llm,
                            Completions completions, ChatService chat, CompletableFuture<RagService> rag, CallLog log,
                            RagConfig ragConfig, BatchLimits batchLimits) {
        this.config = config;
        this.http = http;
        this.store = store;
        this.llm = llm;
        this.completions = completions;
        this.chat = chat;
        this.rag = rag;
        this.log = log;
        this.ragConfig = ragConfig;
        this.batchLimits = batchLimits;
        this.batch = new FaqBatch(store, batchLimits, log, config.defaultModel);
    }

    public static JingneiInstance boot(Env env) {
        return boot(env, TimeSource.system(), CallLog.stdout(), Optional::empty);
    }

    /** @param platformCredentials the function's execution credentials, when the platform hands them over */
    public static JingneiInstance boot(Env env, TimeSource time, CallLog log, Supplier<Optional<Credentials>> platformCredentials) {
        JingneiConfig config = JingneiConfig.from(env);
        RagConfig ragConfig = RagConfig.from(env);
        BatchLimits batchLimits = BatchLimits.from(env); // refuses loop-prone trigger prefixes at start-up
        SharedHttpClient http = new SharedHttpClient(config.maxConnections, config.connectTimeout, config.responseTimeout);
        RetryPolicy retries = new RetryPolicy(config.maxRetries, config.retryBaseDelay, config.retryMaxDelay,
                () -> ThreadLocalRandom.current().nextDouble());
        LlmClient llm = new OpenAiCompatibleClient(http, config.llmBaseUrl, config.llmApiKey().orElse(null),
                config.responseTimeout, config.streamIdleTimeout, retries, config.callDeadline, time);
        ModelCatalog catalog = new ModelCatalog(llm, config.modelsCacheTtl, time);
        if (config.llmApiKey().isPresent()) {
            // Warm the model list in the background so the first call does not wait for it, and say
            // at start-up, not on every call, when the configured default is not among the models.
            catalog.ids().thenAccept(ids -> ids.filter(known -> !known.contains(config.defaultModel)).ifPresent(known ->
                    log.event("JINGNEI_LLM_MODEL is not an upstream model", java.util.Map.of(
                            "level_hint", "WARN", "model", config.defaultModel, "valid_models", String.join(", ", known)))));
        }
        Completions completions = new Completions(llm, catalog, config.prices, log, config.defaultModel, config.logPrompts);
        ChatLimits limits = ChatLimits.from(config);
        ChatService chat = new ChatService(completions, limits, config.systemPrompt, config.defaultModel);
        ObjectStore store = new ObjectStores(new FileObjectStore(), new S3ObjectStore(http, S3Settings.from(env),
                CredentialsProvider.chain(env, platformCredentials), Clock.systemUTC()));
        CompletableFuture<RagService> rag = ragConfig.enabled
                ? RagBoot.start(ragConfig, store, llm, completions, log, limits, config.llmApiKey().isPresent(), config.defaultModel, time::nanoTime)
                : CompletableFuture.failedFuture(new IllegalStateException("RAG is disabled (JINGNEI_RAG_ENABLED=false)"));
        return new JingneiInstance(config, http, store, llm, completions, chat, rag, log, ragConfig, batchLimits);
    }

    public JingneiConfig config() {
        return config;
    }

    public SharedHttpClient http() {
        return http;
    }

    public ObjectStore store() {
        return store;
    }

    public LlmClient llm() {
        return llm;
    }

    public RagConfig ragConfig() {
        return ragConfig;
    }

    public FaqBatch batch() {
        return batch;
    }

    public BatchLimits batchLimits() {
        return batchLimits;
    }

    public CallLog log() {
        return log;
    }

    public Completions completions() {
        return completions;
    }

    public ChatService chat() {
        return chat;
    }

    /** Completes when the embedding model and the index are loaded; fails with the reason RAG cannot start. */
    public CompletableFuture<RagService> rag() {
        return rag;
    }

    @Override
    public void close() {
        rag.thenAccept(RagService::close);
        http.close();
    }
}
