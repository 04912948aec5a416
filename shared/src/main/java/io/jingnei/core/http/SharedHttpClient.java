package io.jingnei.core.http;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/**
 * The one pooled keep-alive HTTP client of an instance, shared by LLM calls and object-storage
 * reads. Serverless instances are frozen between invocations and thawed later, by which time the
 * peer may have closed idle sockets: connections are re-validated after 2 s idle, evicted after
 * 30 s idle and never kept longer than 5 minutes, so the first call after a thaw does not land on
 * a dead socket.
 */
public final class SharedHttpClient implements AutoCloseable {
    /** Per-connection I/O buffer size, bytes. */
    private static final int BUFFER_SIZE = 8 * 1024;

    private final CloseableHttpAsyncClient client;
    private final PoolingAsyncClientConnectionManager pool;
    private final ConnectionConfig defaults;
    private final LazyTlsStrategy tls = new LazyTlsStrategy();
    /** Hosts with their own connection settings (object storage); a handful per instance. */
    private final Map<String, ConnectionConfig> byHost = new ConcurrentHashMap<>();

    public SharedHttpClient(int maxConnections, Duration connectTimeout, Duration responseTimeout) {
        this.defaults = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(connectTimeout))
                .setSocketTimeout(Timeout.of(responseTimeout))
                .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                .setTimeToLive(TimeValue.ofMinutes(5))
                .build();
        this.pool = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .setConnectionConfigResolver(route -> byHost.getOrDefault(route.getTargetHost().getHostName(), defaults))
                // HTTP/1.1 keeps one exchange per connection, so cancelling a stream closes only its own socket.
                .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
                .setTlsStrategy(tls)
                .build();
        this.client = HttpAsyncClients.custom()
                .setConnectionManager(pool)
                // HttpCore's default is 32 KiB, allocated three times per connection (in, out, content)
                // for the connection's whole life: 96 KiB of heap each, 96 MB for 1,000 streams. LLM
                // chunks are a few hundred bytes; large object reads just take more, smaller reads.
                .setHttp1Config(Http1Config.custom().setBufferSize(BUFFER_SIZE).build())
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setIoThreadCount(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())))
                        .setSoKeepAlive(true)
                        .setTcpNoDelay(true)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(responseTimeout))
                        .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                        .build())
                .evictExpiredConnections()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                // Retries are ours (FailurePolicy): they must see the deadline and must not replay a started stream.
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableRedirectHandling()
                .addExecInterceptorBefore(ChainElement.MAIN_TRANSPORT.name(), "abortable-exchange", AbortableExchange.INTERCEPTOR)
                .setUserAgent("jingnei/0.1")
                .build();
        this.client.start();
    }

    /**
     * Connections to {@code host} use their own connect and socket timeouts: object storage has its
     * own settings (JINGNEI_S3_*), not the LLM's.
     */
    public void timeoutsFor(String host, Duration connectTimeout, Duration socketTimeout) {
        byHost.computeIfAbsent(host, h -> ConnectionConfig.copy(defaults)
                .setConnectTimeout(Timeout.of(connectTimeout))
                .setSocketTimeout(Timeout.of(socketTimeout))
                .build());
    }

    /**
     * Starts one exchange. Cancelling the returned future aborts it: its connection is closed (the
     * peer sees us leave) and returned to the pool, also when it was a reused keep-alive connection,
     * where cancelling HttpClient's own future does not reach the exchange (see {@link AbortableExchange}).
     * The callback runs on an I/O thread.
     */
    public <T> Future<T> execute(AsyncRequestProducer request, AsyncResponseConsumer<T> response, FutureCallback<T> callback) {
        AbortableExchange<T> exchange = new AbortableExchange<>();
        HttpClientContext context = HttpClientContext.create();
        context.setAttribute(AbortableExchange.ATTRIBUTE, exchange);
        exchange.started(client.execute(request, response, null, context, callback));
        return exchange;
    }

    // visible for tests
    LazyTlsStrategy tls() {
        return tls;
    }

    // visible for tests: product code starts exchanges with execute, whose cancel reaches them
    CloseableHttpAsyncClient client() {
        return client;
    }

    /** Leased, available and pending connections: used to check that cancelled streams return theirs. */
    public PoolStats poolStats() {
        return pool.getTotalStats();
    }

    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
    }
}
