package io.jingnei.core.cache;

import io.jingnei.core.config.Env;
import io.jingnei.core.config.Settings;

import java.time.Duration;

/**
 * {@code JINGNEI_CACHE=off|exact|semantic}, its TTL, similarity and size, whether {@code /v1} is
 * cached, and whose answers a caller may be served ({@code JINGNEI_CACHE_SCOPE}).
 */
public final class CacheSettings {
    public enum Mode { OFF, EXACT, SEMANTIC }

    /**
     * {@code tenant} (default): answers are shared only among callers of one tenant (one client
     * key's user, all end-user tokens, all anonymous callers); {@code shared}: among all callers, for
     * a deployment whose callers are one organisation.
     */
    public enum Scope { TENANT, SHARED }

    /**
     * Chosen from measured false hits: at 0.95 cosine, 1.9% of LCQMC and 0.5% of AFQMC question
     * pairs labelled "different" would share an answer, against 11.2% and 5.4% at 0.90 (all pairs of
     * both sets; docs/limits-and-cache.md, and bench/RESULTS.md).
     */
    public static final double DEFAULT_SIMILARITY = 0.95;

    public final Mode mode;
    public final Duration ttl;
    public final double similarity;
    public final boolean v1;
    public final int maxLocalEntries;
    public final Scope scope;

    private CacheSettings(Env env) {
        this.mode = Mode.valueOf(Settings.choice(env, "JINGNEI_CACHE", "exact", "off", "exact", "semantic").toUpperCase(java.util.Locale.ROOT));
        this.ttl = Settings.duration(env, "JINGNEI_CACHE_TTL", "24h");
        this.similarity = Settings.number(env, "JINGNEI_CACHE_SIMILARITY", DEFAULT_SIMILARITY, 0.5, 1.0);
        this.v1 = Settings.bool(env, "JINGNEI_CACHE_V1", false);
        this.maxLocalEntries = Settings.integer(env, "JINGNEI_CACHE_MAX_ENTRIES", 10_000, 10, 1_000_000);
        this.scope = Scope.valueOf(Settings.choice(env, "JINGNEI_CACHE_SCOPE", "tenant", "tenant", "shared").toUpperCase(java.util.Locale.ROOT));
    }

    public static CacheSettings from(Env env) {
        return new CacheSettings(env);
    }
}
