package io.jingnei.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.pii.PiiMode;
import io.jingnei.core.pii.PiiPolicy;
import io.jingnei.core.pii.PiiSession;
import io.jingnei.core.redis.Redis;
import io.jingnei.core.text.QuestionNormaliser;
import io.jingnei.core.util.Hashing;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The answer cache for rag-query, chat without history, chat-stream and faq-batch (and {@code /v1}
 * with JINGNEI_CACHE_V1): the same question, normalised, under the same model, system prompt, index
 * and prompt version, gets the stored answer without an LLM call. Keys are made from the question
 * with its personal information masked, and answers are stored masked: one customer's data is never
 * served to another, and a hit is restored with the asking customer's own values. An answer that
 * holds personal information its question did not (from a passage, say) is not stored. The cache
 * never fails a call: when Redis is down it is skipped.
 */
public final class AnswerCache {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CacheSettings settings;
    private final CacheStore store;
    private final Optional<Redis> redis;
    /** Always masking, whatever JINGNEI_PII says (see {@link PiiPolicy#masking()}). */
    private final PiiPolicy pii;
    private final boolean blocks;

    AnswerCache(CacheSettings settings, CacheStore store, Optional<Redis> redis, PiiPolicy pii) {
        this.settings = settings;
        this.store = store;
        this.redis = redis;
        this.pii = pii.masking();
        this.blocks = pii.mode() == PiiMode.BLOCK;
    }

    public static AnswerCache from(CacheSettings settings, Optional<Redis> redis, PiiPolicy pii, Clock clock, CallLog log) {
        CacheStore store = redis.<CacheStore>map(r -> new RedisCacheStore(r, settings.maxLocalEntries, clock))
                .orElseGet(() -> new LocalCacheStore(settings.maxLocalEntries, clock));
        if (settings.mode != CacheSettings.Mode.OFF) {
            log.event("answer cache (" + settings.mode.name().toLowerCase(java.util.Locale.ROOT) + ") is kept " + store.describe(),
                    Map.of("ttl_s", settings.ttl.getSeconds()));
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
     * The key of one question in one scope. {@code scope} names everything besides the question that
     * shapes the answer (function, model, system prompt, index version, prompt version, parameters).
     */
    public Key key(String question, String scope) {
        PiiSession session = pii.newSession();
        String masked = session.mask(question);
        if (blocks && session.masked()) {
            // Block mode answers, not the cache: the same refusal the upstream path gives.
            throw PiiPolicy.refusal(session.counts().keySet());
        }
        String scopeHash = Hashing.sha256Hex(scope);
        return new Key(Hashing.sha256Hex(scopeHash + "\n" + QuestionNormaliser.normalise(masked)), scopeHash, session, masked);
    }

    /** The stored answer for exactly this question, restored for this asker; empty on a miss or when the cache is unavailable. */
    public CompletableFuture<Optional<Hit>> exact(Key key) {
        if (!enabled()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return read(key.hash, key, "exact");
    }

    /** The stored answer of the most similar question (at least JINGNEI_CACHE_SIMILARITY), in semantic mode. */
    public CompletableFuture<Optional<Hit>> similar(Key key, float[] questionVector) {
        if (!semantic() || questionVector == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return store.nearest(key.scope, questionVector, settings.similarity)
                .thenCompose(found -> found.isPresent() ? read(found.get(), key, "semantic")
                        : CompletableFuture.completedFuture(Optional.<Hit>empty()))
                .exceptionally(error -> skipped(error));
    }

    /**
     * Keeps an answer for later askers. {@code texts} are the answer's texts, restored; they are
     * masked with the question's session before storing, and nothing is stored when they hold
     * personal information the question did not.
     */
    public void store(Key key, ObjectNode answer, float[] questionVector, String... textFields) {
        if (!enabled()) {
            return;
        }
        ObjectNode masked = answer.deepCopy();
        int before = key.session.counts().values().stream().mapToInt(Integer::intValue).sum();
        for (String field : textFields) {
            if (masked.path(field).isTextual()) {
                masked.put(field, key.session.mask(masked.path(field).asText()));
            }
        }
        int after = key.session.counts().values().stream().mapToInt(Integer::intValue).sum();
        if (after > before) {
            return;
        }
        store.put(key.hash, masked.toString(), settings.ttl).whenComplete((ok, error) -> {
            if (error != null) {
                redis.ifPresent(r -> r.logFailure(error, "an answer was not cached"));
            }
        });
        if (semantic() && questionVector != null) {
            store.remember(key.scope, questionVector, key.hash, settings.ttl).whenComplete((ok, error) -> {
                if (error != null) {
                    redis.ifPresent(r -> r.logFailure(error, "a question vector was not cached"));
                }
            });
        }
    }

    private CompletableFuture<Optional<Hit>> read(String hash, Key key, String how) {
        return store.get(hash).thenApply(value -> value.flatMap(json -> {
            try {
                ObjectNode answer = (ObjectNode) JSON.readTree(json);
                return restorable(answer, key.session) ? Optional.of(new Hit(answer, key.session, how)) : Optional.<Hit>empty();
            } catch (IOException | ClassCastException e) {
                return Optional.<Hit>empty();
            }
        })).exceptionally(this::skipped);
    }

    /** A similar question without the stored answer's personal information cannot use that answer. */
    private static boolean restorable(ObjectNode answer, PiiSession session) {
        for (JsonNode field : answer) {
            if (field.isTextual() && !session.restoresAll(field.asText())) {
                return false;
            }
        }
        return true;
    }

    private Optional<Hit> skipped(Throwable error) {
        redis.ifPresent(r -> r.logFailure(error, "answer cache skipped"));
        return Optional.empty();
    }

    /** A question's cache key, with the masking session its personal information went through. */
    public static final class Key {
        final String hash;
        final String scope;
        final PiiSession session;
        private final String maskedQuestion;

        Key(String hash, String scope, PiiSession session, String maskedQuestion) {
            this.hash = hash;
            this.scope = scope;
            this.session = session;
            this.maskedQuestion = maskedQuestion;
        }

        /**
         * The question as the cache sees it, personal information replaced by placeholders: what the
         * semantic cache embeds, so a stored vector never derives from a customer's own number (and
         * two customers asking the same thing with their own numbers land on the same vector).
         */
        public String maskedQuestion() {
            return maskedQuestion;
        }

        /** Whether masking changed the question (then its vector differs from the raw question's). */
        public boolean masked() {
            return session.masked();
        }
    }

    /** A stored answer, its texts restored with the asker's own values. */
    public static final class Hit {
        private final ObjectNode answer;
        private final PiiSession session;
        public final String how;

        Hit(ObjectNode answer, PiiSession session, String how) {
            this.answer = answer;
            this.session = session;
            this.how = how;
        }

        public ObjectNode answer() {
            return answer;
        }

        /** A text of the stored answer with this asker's values put back. */
        public String text(String field) {
            String text = answer.path(field).asText(null);
            return text == null ? null : session.unmask(text);
        }
    }
}
