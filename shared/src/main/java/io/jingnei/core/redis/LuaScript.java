package io.jingnei.core.redis;

import io.jingnei.core.util.Hashing;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A Lua script kept as a resource beside the core's classes ({@code /jingnei/redis/*.lua}, each
 * naming its KEYS and ARGV at the top), read once when its user's class loads. It runs by digest
 * (EVALSHA), so a call sends the digest, not the script; a Redis that does not have it yet (first
 * use, a restart, a failover to a replica) answers NOSCRIPT, and the script is then sent whole
 * (EVAL), which also caches it there. Either way Redis runs it atomically.
 */
public final class LuaScript {
    private final String name;
    private final String source;
    private final String sha1;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = Hashing.sha1Hex(source);
    }

    /** Reads {@code /jingnei/redis/<name>}; a missing resource is a broken build, not a configuration. */
    public static LuaScript load(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream("/jingnei/redis/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the Redis script " + name + " is missing from the jar");
            }
            return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Redis script " + name, e);
        }
    }

    /** Runs on the calling Redis thread's connection (see {@link Redis#call}). */
    public Object run(Jedis jedis, List<String> keys, List<String> args) {
        try {
            return jedis.evalsha(sha1, keys, args);
        } catch (JedisNoScriptException notCachedThere) {
            return jedis.eval(source, keys, args);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
