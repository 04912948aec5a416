package io.jingnei.core.redis;

/** Redis could not be reached or answered an error; the cause says which. Never shown to callers. */
public final class RedisUnavailable extends RuntimeException {
    RedisUnavailable(String where, Throwable cause) {
        super("redis at " + where + " failed", cause);
    }
}
