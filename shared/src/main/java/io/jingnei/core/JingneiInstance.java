package io.jingnei.core;

import io.jingnei.core.auth.Authenticator;
import io.jingnei.core.batch.BatchLimits;
import io.jingnei.core.cache.AnswerCache;
import io.jingnei.core.cache.CacheSettings;
import io.jingnei.core.embed.Embedder;
import io.jingnei.core.limits.Quotas;
import io.jingnei.core.redis.Redis;
import io.jingnei.core.batch.FaqBatch;
import io.jingnei.core.chat.ChatService;
import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.config.JingneiConfig;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.http.SharedHttpClient;
import io.jingnei.core.llm.Completions;
import io.jingnei.core.llm.ModelCatalog;
import io.jingnei.core.llm.Router;
import io.jingnei.core.llm.Routers;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.log.Redactor;
import io.jingnei.core.pii.PiiPolicy;
import io.jingnei.core.pricing.BatchPrices;
import io.jingnei.core.pricing.PriceTable;
import io.jingnei.core.rag.RagBoot;
import io.jingnei.core.rag.RagConfig;
import io.jingnei.core.rag.RagService;
import io.jingnei.core.request.RequestCaps;
import io.jingnei.core.storage.Credentials;
import io.jingnei.core.storage.CredentialsProvider;
import io.jingnei.core.storage.FileObjectStore;
import io.jingnei.core.storage.GuardedStore;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.storage.ObjectStores;
import io.jingnei.core.storage.S3ObjectStore;
import io.jingnei.core.storage.S3Settings;
import io.jingnei.core.storage.StorageAllowList;
import io.jingnei.core.storage.StorageUris;
import io.jingnei.core.util.TimeSource;
import io.jingnei.core.util.Workers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Everything one function instance holds, built once at boot from the deployment's configuration
 * and shared by all its requests and triggers: settings, the pooled HTTP client (LLM calls and
 * object storage alike), the upstream router, the services over them, the access rules. RAG (model
 * load, index fetch) starts in the background when enabled, so chat is ready at once.
 */
public final class JingneiInstance implements AutoCloseable {
    public final JingneiConfig config;
    public final PriceTable prices;
    public final RequestCaps caps;
    public final RagConfig ragConfig;
    public final Authenticator auth;
    public final StorageAllowList allowList;
    public final CallLog log;
    private final SharedHttpClient http;
    private final Workers workers;
    private final ObjectStore store;
    private final GuardedStore guardedStore;
    private final Router llm;
    private final Completions completions;
    private final ChatService chat;
    private final CompletableFuture<RagService> rag;
    /** faq-batch's runner, made on first use: an instance that only chats never loads it (cold start). */
    private final Supplier<FaqBatch> batchMaker;
    private FaqBatch batch;
    private final Optional<Redis> redis;
    public final Quotas quotas;
    public final AnswerCache cache;
    /** The instance's one clock, handed to everything it boots. */
    public final TimeSource time;

    private JingneiInstance(Builder b) {
        this.config = b.config;
        this.prices = b.prices;
        this.caps = b.caps;
        this.ragConfig = b.ragConfig;
        this.auth = b.auth;
        this.allowList = b.allowList;
        this.log = b.log;
        this.http = b.http;
        this.workers = b.workers;
        this.store = b.store;
        this.guardedStore = new GuardedStore(b.store, b.allowList);
        this.llm = b.llm;
        this.completions = b.completions;
        this.chat = b.chat;
        this.rag = b.rag;
        this.batchMaker = () -> new FaqBatch(guardedStore, b.batchLimits, b.log, b.config.defaultModel, b.quotas, b.llm,
                b.completions.pii(), b.batchPrices, b.time);
        this.redis = b.redis;
        this.quotas = b.quotas;
        this.cache = b.cache;
        this.time = b.time;
    }

    public static JingneiInstance boot(Env env) {
        return boot(env, TimeSource.system(), CallLog.stdout(), Optional::empty);
    }

    /** @param platformCredentials the function's execution credentials, when the platform hands them over */
    public static JingneiInstance boot(Env env, TimeSource time, CallLog log, Supplier<Optional<Credentials>> platformCredentials) {
        Builder b = new Builder();
        b.time = time;
        b.log = log;
        b.config = JingneiConfig.from(env);
        b.prices = PriceTable.from(env);
        b.caps = RequestCaps.from(env);
        b.ragConfig = RagConfig.from(env);
        b.batchLimits = BatchLimits.from(env); // refuses loop-prone trigger prefixes at start-up
        b.auth = Authenticator.from(env, time);
        b.allowList = StorageAllowList.from(env);
        b.workers = new Workers();
        b.http = new SharedHttpClient(b.config.maxConnections, b.config.connectTimeout, b.config.responseTimeout);
        b.store = new ObjectStores(new FileObjectStore(), new S3ObjectStore(b.http, S3Settings.from(env),
                CredentialsProvider.chain(env, platformCredentials), time));
        b.llm = Routers.build(env, b.config, b.http, time, log, uri -> readAtBoot(b.store, uri));
        log.redactWith(Redactor.of(secrets(env, b)));
        ModelCatalog catalog = new ModelCatalog(b.llm, b.llm.upstreams(), b.config.modelsCacheTtl, time);
        warmCatalog(b, catalog);
        PiiPolicy pii = PiiPolicy.from(env);
        b.completions = new Completions(b.llm, catalog, b.prices, log, b.config.defaultModel, b.config.logPrompts, pii);
        b.redis = Redis.from(env, log, time);
        b.quotas = Quotas.from(env, b.redis, time, log,
                new Quotas.Pricing(b.prices, b.config.defaultModel, catalog::outputLimit));
        b.completions.meterWith(b.quotas);
        b.quotas.warnUnpriced(namedModels(b), "configured");
        warnUnpricedListed(b, catalog);
        b.batchPrices = BatchPrices.from(env, b.prices);
        b.cache = AnswerCache.from(CacheSettings.from(env), b.redis, pii, time, log);
        CompletableFuture<RagService> ragLater = new CompletableFuture<>();
        b.chat = new ChatService(b.completions, b.caps, b.config.historyTurns, b.config.systemPrompt, b.config.defaultModel,
                b.cache, () -> localEmbedder(ragLater), b.workers.cpu(), log);
        boolean llmConfigured = b.llm.upstreams().stream().anyMatch(u -> !u.keysMissing());
        b.rag = b.ragConfig.enabled
                ? RagBoot.start(new RagBoot.Parts(b.ragConfig, b.store, b.llm, b.completions, log, b.caps, llmConfigured,
                        b.config.defaultModel, time, b.workers, b.cache, b.config.historyTurns))
                : CompletableFuture.failedFuture(new io.jingnei.core.rag.RagDisabledException());
        b.rag.whenComplete((rag, error) -> {
            if (error == null) {
                ragLater.complete(rag);
            }
        });
        b.auth.startupWarning().ifPresent(warning -> log.event(warning, Map.of("level_hint", "WARN")));
        return new JingneiInstance(b);
    }

    /** The models the configuration names: the default, every upstream's list and every fallback chain. */
    private static List<String> namedModels(Builder b) {
        List<String> models = new ArrayList<>(List.of(b.config.defaultModel));
        b.llm.upstreams().forEach(u -> models.addAll(u.models));
        models.addAll(b.llm.fallbacks().models());
        if (b.ragConfig.rewriteWithLlm) {
            b.ragConfig.rewriteModel.ifPresent(models::add); // an unpriced one would rewrite for free under a budget
        }
        return models;
    }

    /** Every configured secret: the redactor removes them from anything that reaches a client or a log. */
    private static List<String> secrets(Env env, Builder b) {
        List<String> all = new ArrayList<>(Routers.secrets(b.llm));
        all.addAll(b.auth.secrets());
        for (String name : new String[] {"JINGNEI_S3_SECRET_ACCESS_KEY", "JINGNEI_S3_SESSION_TOKEN", "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN", "TENCENTCLOUD_SECRETKEY",
                "TENCENTCLOUD_SESSIONTOKEN", "JINGNEI_REDIS_URL", "JINGNEI_JWT_SECRET"}) {
            env.get(name).ifPresent(all::add);
        }
        return all;
    }

    /**
     * Warms the model list in the background so the first call does not wait for it, and says at
     * start-up, not on every call, when the configured default is not among the models.
     */
    private static void warmCatalog(Builder b, ModelCatalog catalog) {
        if (b.llm.upstreams().stream().allMatch(u -> u.keysMissing())) {
            return;
        }
        warnUnknown(b, catalog, "JINGNEI_LLM_MODEL", b.config.defaultModel);
        if (b.ragConfig.rewriteWithLlm) {
            b.ragConfig.rewriteModel.ifPresent(model -> warnUnknown(b, catalog, "JINGNEI_RAG_REWRITE_MODEL", model));
        }
    }

    private static void warnUnknown(Builder b, ModelCatalog catalog, String setting, String model) {
        catalog.ids().thenAccept(ids -> ids.filter(known -> !known.contains(model)).ifPresent(known ->
                b.log.event(setting + " is not an upstream model", Map.of(
                        "level_hint", "WARN", "model", model, "valid_models", String.join(", ", known)))));
    }

    /** Once an upstream's model list is in, the unpriced models in it too (a {@code "*"} upstream serves whatever it lists). */
    private static void warnUnpricedListed(Builder b, ModelCatalog catalog) {
        if (b.llm.upstreams().stream().allMatch(u -> u.keysMissing() || !u.servesAnything())) {
            return;
        }
        catalog.ids().thenAccept(ids -> ids.ifPresent(known -> b.quotas.warnUnpriced(known, "listed by the upstreams")));
    }

    /** The in-process embedder once RAG has loaded it (never a remote one: the question would leave the instance). */
    private static Optional<Embedder> localEmbedder(CompletableFuture<RagService> rag) {
        RagService loaded = rag.getNow(null);
        return loaded == null || !(loaded.embedder() instanceof io.jingnei.core.embed.OnnxEmbedder)
                ? Optional.empty() : Optional.of(loaded.embedder());
    }

    private static byte[] readAtBoot(ObjectStore store, String uri) {
        try {
            return store.get(StorageUris.parse(uri)).get(30, TimeUnit.SECONDS).bytes;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new ConfigException("JINGNEI_UPSTREAMS: cannot read " + uri + ": " + JingneiException.from(e).getMessage(), e);
        }
    }

    public JingneiConfig config() {
        return config;
    }

    public SharedHttpClient http() {
        return http;
    }

    public Workers workers() {
        return workers;
    }

    /** The store for configuration-given URIs (the index). */
    public ObjectStore store() {
        return store;
    }

    /** The store for URIs from request bodies and events: everything outside the allow-list is refused. */
    public GuardedStore guardedStore() {
        return guardedStore;
    }

    public Router llm() {
        return llm;
    }

    public synchronized FaqBatch batch() {
        if (batch == null) {
            batch = batchMaker.get();
        }
        return batch;
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
        workers.close();
        redis.ifPresent(Redis::close);
    }

    private static final class Builder {
        TimeSource time;
        CallLog log;
        JingneiConfig config;
        PriceTable prices;
        RequestCaps caps;
        RagConfig ragConfig;
        BatchLimits batchLimits;
        Authenticator auth;
        StorageAllowList allowList;
        Workers workers;
        SharedHttpClient http;
        ObjectStore store;
        Router llm;
        Completions completions;
        ChatService chat;
        CompletableFuture<RagService> rag;
        Optional<Redis> redis;
        Quotas quotas;
        AnswerCache cache;
        BatchPrices batchPrices;
    }
}
