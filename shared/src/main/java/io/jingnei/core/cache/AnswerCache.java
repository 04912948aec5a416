package io.jingnei.core.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.pii.PiiMatch;
import io.jingnei.core.pii.PiiMode;
import io.jingnei.core.pii.PiiPolicy;
import io.jingnei.core.redis.Redis;
import io.jingnei.core.text.QuestionNormaliser;
import io.jingnei.core.util.Hashing;
import io.jingnei.core.util.Json;
import io.jingnei.core.util.TimeSource;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The answer cache for rag-query, chat without history, chat-stream and faq-batch (and {@code /v1}
 * with JINGNEI_CACHE_V1): the same question, normalised, under the same model, system prompt, index
 * and prompt version, asked in the same tenant, gets the stored answer without an LLM call.
 *
 * <p>Whose answer a caller may be given (issue 21, findings 1, 2 and 15):
 * <ul>
 * <li>only one of its own tenant's ({@link CacheSettings.Scope}): one client key's user, all end-user
 * tokens, or all anonymous callers; so a caller can poison, and learn from {@code cached: true}
 * about, only the answers its own tenant is given;</li>
 * <li>never one given for personal information: a question holding any (a phone number, an ID) is
 * not cached at all, and an answer holding any is not stored. Two customers' numbers mask to the
 * same placeholder, so a key made from the masked question served one customer's answer to the
 * other; keying on the numbers themselves would put a digest of them in a shared store for the one
 * hit the rule still allows, the same customer asking again;</li>
 * <li>by similarity (semantic mode) only when the cosine reaches JINGNEI_CACHE_SIMILARITY, the
 * identifiers are the same, and the wording agrees ({@link QuestionShape}).</li>
 * </ul>
 * The cache never fails a call: when Redis is down it is skipped.
 */
public final class AnswerCache {
    private static final ObjectMapper JSON = Json.mapper();

    private final CacheSettings settings;
    private final CacheStore store;
    private final Optional<Redis> redis;
    /** Finds personal information whatever JINGNEI_PII says (see {@link PiiPolicy#masking()}). */
    private final PiiPolicy pii;
    private final boolean blocks;

    AnswerCache(CacheSettings settings, CacheStore store, Optional<Redis> redis, PiiPolicy pii) {
        this.settings = settings;
        this.store = store;
        this.redis = redis;
        this.pii = pii.masking();
        this.blocks = pii.mode() == PiiMode.BLOCK;
    }

    public static AnswerCache from(CacheSettings settings, Optional<Redis> redis, PiiPolicy pii, TimeSource time, CallLog log) {
        CacheStore store = redis.<CacheStore>map(r -> new RedisCacheStore(r, settings.maxLocalEntries, time))
                .orElseGet(() -> new LocalCacheStore(settings.maxLocalEntries, time));
        if (settings.mode != CacheSettings.Mode.OFF) {
            log.event("answer cache (" + settings.mode.name().toLowerCase(java.util.Locale.ROOT) + ") is kept " + store.describe(),
                    Map.of("ttl_s", settings.ttl.getSeconds(), "scope", settings.scope.name().toLowerCase(java.util.Locale.ROOT)));
        }
        return new AnswerCache(settings, store, redis, pii);
    }

    public boolean enabled() {
        return settings.mode != CacheSettings.Mode.OFF;
    }

    public boolean semantic() {
        return settings.mode == CacheSettings.Mode.SEMANTIC;
    }

    public boolean coversV1() {
        return enabled() && settings.v1;
    }

    /**
     * The key of one question asked by {@code caller} in one scope, or empty when the question holds
     * personal information (it is not cached). {@code scope} names everything besides the question
     * that shapes the answer (function, model, system prompt, index version, prompt version, parameters).
     * In block mode a question with personal information is refused here, as the upstream path refuses it.
     */
    public Optional<Key> key(String question, String scope, Caller caller) {
        List<PiiMatch> found = pii.find(question);
        if (!found.isEmpty()) {
            if (blocks) {
                Set<String> kinds = new LinkedHashSet<>();
                found.forEach(match -> kinds.add(match.kind()));
                throw PiiPolicy.refusal(kinds);
            }
            return Optional.empty();
        }
        String partition = Hashing.sha256Hex(scope + "\n" + tenant(caller));
        String normalised = QuestionNormaliser.normalise(question);
        return Optional.of(new Key(Hashing.sha256Hex(partition + "\n" + normalised), partition,
                semantic() ? QuestionShape.of(normalised) : null));
    }

    /** Who may share answers with {@code caller}: its tenant, or everyone with JINGNEI_CACHE_SCOPE=shared. */
    private String tenant(Caller caller) {
        if (settings.scope == CacheSettings.Scope.SHARED) {
            return "shared";
        }
        Caller who = caller == null ? Caller.anonymous() : caller;
        switch (who.via) {
            case CLIENT_KEY:
                return "tenant:key:" + who.userId;
            case JWT:
                // Every token is minted by the one backend that holds JINGNEI_JWT_SECRET (or the private key).
                return "tenant:jwt";
            default:
                return "tenant:" + who.via.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The stored answer for exactly this question; empty on a miss or when the cache is unavailable. */
    public CompletableFuture<Optional<Hit>> exact(Key key) {
        if (!enabled()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return read(key.hash, "exact");
    }

    /**
     * In semantic mode, the stored answer of the most similar question of the same tenant and scope
     * with a cosine of at least JINGNEI_CACHE_SIMILARITY, the same identifiers and like wording.
     */
    public CompletableFuture<Optional<Hit>> similar(Key key, float[] questionVector) {
        if (!semantic() || questionVector == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        QuestionShape asked = key.shape;
        return store.nearest(key.partition, questionVector, settings.similarity,
                        stored -> stored.sameIdentifiers(asked) && stored.wordedLike(asked))
                .thenCompose(found -> found.isPresent() ? read(found.get(), "semantic")
                        : CompletableFuture.completedFuture(Optional.<Hit>empty()))
                .exceptionally(error -> skipped(error));
    }

    /**
     * Keeps an answer for later askers of its tenant; nothing is kept when one of {@code textFields}
     * holds personal information (from a passage, say: the question held none).
     */
    public void store(Key key, ObjectNode answer, float[] questionVector, String... textFields) {
        if (!enabled()) {
            return;
        }
        for (String field : textFields) {
            if (answer.path(field).isTextual() && !pii.find(answer.path(field).asText()).isEmpty()) {
                return;
            }
        }
        store.put(key.hash, answer.toString(), settings.ttl).whenComplete((ok, error) -> {
            if (error != null) {
                redis.ifPresent(r -> r.logFailure(error, "an answer was not cached"));
            }
        });
        if (semantic() && questionVector != null) {
            store.remember(key.partition, questionVector, key.shape, key.hash, settings.ttl).whenComplete((ok, error) -> {
                if (error != null) {
                    redis.ifPresent(r -> r.logFailure(error, "a question vector was not cached"));
                }
            });
        }
    }

    private CompletableFuture<Optional<Hit>> read(String hash, String how) {
        return store.get(hash).thenApply(value -> value.flatMap(json -> {
            try {
                return Optional.of(new Hit((ObjectNode) JSON.readTree(json), how));
            } catch (IOException | ClassCastException e) {
                return Optional.<Hit>empty();
            }
        })).exceptionally(this::skipped);
    }

    private Optional<Hit> skipped(Throwable error) {
        redis.ifPresent(r -> r.logFailure(error, "answer cache skipped"));
        return Optional.empty();
    }

    /** A question's cache key: its digest and its tenant's and scope's partition (and shape, in semantic mode). */
    public static final class Key {
        final String hash;
        final String partition;
        final QuestionShape shape;

        Key(String hash, String partition, QuestionShape shape) {
            this.hash = hash;
            this.partition = partition;
            this.shape = shape;
        }
    }

    /** A stored answer. */
    public static final class Hit {
        private final ObjectNode answer;
        public final String how;

        Hit(ObjectNode answer, String how) {
            this.answer = answer;
            this.how = how;
        }

        public ObjectNode answer() {
            return answer;
        }

        public String text(String field) {
            return answer.path(field).asText(null);
        }
    }
}
