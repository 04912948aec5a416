package io.jingnei.core.redis;

import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.config.Settings;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.util.TimeSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The instance's connection to the shared Redis (Alibaba Cloud Tair / ApsaraDB for Redis, TencentDB
 * for Redis): {@code JINGNEI_REDIS_URL=redis://[:password@]host:port[/db]} or {@code rediss://} for
 * TLS. Jedis is a blocking client, so commands run on a few threads of our own, each with its own
 * connection (a Jedis connection is not thread-safe), and callers get futures: no HTTP I/O thread
 * ever waits on Redis. A broken connection is dropped and made again on the next command; while
 * Redis is unreachable the failure is logged at most once a minute.
 */
public final class Redis implements AutoCloseable {
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final HostAndPort address;
    private final JedisClientConfig clientConfig;
    private final ExecutorService threads;
    private final ThreadLocal<Jedis> connection = new ThreadLocal<>();
    private final CallLog log;
    private final TimeSource time;
    private final AtomicLong lastLoggedNanos = new AtomicLong(Long.MIN_VALUE / 2);
    private final String display;
    /**
     * After a timeout Redis rests for this long: commands fail at once instead of each waiting out
     * the socket timeout in the queue (a Redis that accepts connections but never answers would
     * otherwise hold every call for timeout x queued calls / threads). Then commands are tried again:
     * at most one per Redis thread waits out a timeout per rest.
     */
    private final long restNanos;
    private final AtomicLong downUntilNanos = new AtomicLong(Long.MIN_VALUE / 2);
    /** The failure a resting call answers (one instance: no stack trace to make per refused call). */
    private final RedisUnavailable resting;

    private Redis(URI uri, Duration timeout, int threadCount, CallLog log, TimeSource time) {
        this.time = time;
        this.address = new HostAndPort(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort());
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) timeout.toMillis())
                .socketTimeoutMillis((int) timeout.toMillis())
                .ssl(uri.getScheme().equals("rediss"))
                .clientName("jingnei");
        String userInfo = uri.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? null : userInfo.substring(0, colon);
            String password = colon < 0 ? userInfo : userInfo.substring(colon + 1);
            if (user != null && !user.isEmpty()) {
                config.user(user);
            }
            config.password(password);
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (!path.isEmpty()) {
            config.database(Integer.parseInt(path));
        }
        this.clientConfig = config.build();
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threadCount, threadCount, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(() -> {
                try {
                    r.run();
                } finally {
                    drop();
                }
            }, "jingnei-redis-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        pool.allowCoreThreadTimeOut(true);
        this.threads = pool;
        this.log = log;
        this.display = uri.getScheme() + "://" + address;
        this.restNanos = Math.max(TimeUnit.SECONDS.toNanos(1), 2 * timeout.toNanos());
        this.resting = new RedisUnavailable(display, new IllegalStateException("not tried: Redis failed less than "
                + TimeUnit.NANOSECONDS.toMillis(restNanos) + " ms ago"));
    }

    /** Empty without JINGNEI_REDIS_URL: limits and cache are then kept per instance. */
    /** @param time the clock of the rest after a timeout and of the once-a-minute failure line */
    public static Optional<Redis> from(Env env, CallLog log, TimeSource time) {
        Optional<String> url = env.get("JINGNEI_REDIS_URL");
        if (url.isEmpty()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(url.get());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("JINGNEI_REDIS_URL must look like redis://[:password@]host:port[/db]");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("redis") || uri.getScheme().equals("rediss")) || uri.getHost() == null) {
            throw new ConfigException("JINGNEI_REDIS_URL must look like redis://[:password@]host:port[/db] (or rediss:// for TLS)");
        }
        String db = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (!db.isEmpty() && !db.matches("\\d{1,2}")) {
            throw new ConfigException("JINGNEI_REDIS_URL: the database after the port must be a number");
        }
        Duration timeout = Settings.duration(env, "JINGNEI_REDIS_TIMEOUT", "2s");
        int threads = Settings.integer(env, "JINGNEI_REDIS_THREADS", 4, 1, 64);
        return Optional.of(new Redis(uri, timeout, threads, log, time));
    }

    /** Where it connects (scheme, host, port; never the password). */
    public String display() {
        return display;
    }

    /**
     * Runs a command on one of the Redis threads. Fails with {@link RedisUnavailable} when Redis
     * cannot be reached or answers an error; the connection is then made anew for the next command.
     */
    public <T> CompletableFuture<T> call(Function<Jedis, T> command) {
        if (resting()) {
            return CompletableFuture.failedFuture(resting);
        }
        return CompletableFuture.supplyAsync(() -> {
            if (resting()) {
                // queued before a failure that came meanwhile: do not wait out another timeout
                throw resting;
            }
            try {
                return command.apply(jedis());
            } catch (RuntimeException e) {
                drop();
                if (timedOut(e)) {
                    // A refused connection fails at once by itself; only a silent Redis needs the rest.
                    downUntilNanos.set(time.nanoTime() + restNanos);
                }
                throw new RedisUnavailable(display, e);
            }
        }, threads);
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private boolean resting() {
        return time.nanoTime() - downUntilNanos.get() < 0;
    }

    /** Logs a Redis failure at most once a minute, with what the caller did about it. */
    public void logFailure(Throwable error, String consequence) {
        long now = time.nanoTime();
        long last = lastLoggedNanos.get();
        if (now - last >= LOG_EVERY_NANOS && lastLoggedNanos.compareAndSet(last, now)) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("level_hint", "WARN");
            fields.put("redis", display);
            Throwable cause = error instanceof RedisUnavailable && error.getCause() != null ? error.getCause() : error;
            fields.put("error", cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            fields.put("consequence", consequence);
            log.event("redis unavailable", fields);
        }
    }

    private Jedis jedis() {
        Jedis jedis = connection.get();
        if (jedis == null || !jedis.isConnected()) {
            if (jedis != null) {
                jedis.close();
            }
            jedis = new Jedis(address, clientConfig);
            connection.set(jedis);
        }
        return jedis;
    }

    private void drop() {
        Jedis jedis = connection.get();
        connection.remove();
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException ignored) {
                // closing a broken connection
            }
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
