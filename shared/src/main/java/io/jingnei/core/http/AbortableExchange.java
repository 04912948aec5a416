package io.jingnei.core.http;

import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.CancellableDependency;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One exchange whose {@link #cancel} aborts it: the connection is closed, so the peer sees us
 * leave, and handed back to the pool. HttpClient 5's own future does not do that for an exchange
 * on a reused keep-alive connection: its lease completes at once, inside the connect step, and
 * that step then sets the lease as the future's dependency, replacing the exchange's own cancel
 * handle set a moment before. Cancelling the future then cancels a finished lease, and the
 * exchange runs on, leased, until its response timeout: an upstream still generating (and
 * billing) for a caller that has gone. {@link #INTERCEPTOR} keeps the exchange's handle here.
 */
final class AbortableExchange<T> implements Future<T> {
    /** The context attribute under which the interceptor finds the exchange's {@link AbortableExchange}. */
    static final String ATTRIBUTE = "jingnei.abortable-exchange";

    /**
     * Sits before the main transport step (the connection is leased and connected by then) and
     * notes the cancel handle that step gives its exchange. Runs on the caller's or an I/O thread.
     */
    static final AsyncExecChainHandler INTERCEPTOR = new AsyncExecChainHandler() {
        @Override
        public void execute(HttpRequest request, AsyncEntityProducer entity, AsyncExecChain.Scope scope, AsyncExecChain chain,
                            AsyncExecCallback callback) throws HttpException, IOException {
            Object exchange = scope.clientContext.getAttribute(ATTRIBUTE);
            if (exchange instanceof AbortableExchange) {
                scope = new AsyncExecChain.Scope(scope.exchangeId, scope.route, scope.originalRequest,
                        ((AbortableExchange<?>) exchange).noting(scope.cancellableDependency), scope.clientContext,
                        scope.execRuntime, scope.scheduler, scope.execCount);
            }
            chain.proceed(request, entity, scope, callback);
        }
    };

    private final AtomicReference<Cancellable> exchange = new AtomicReference<>();
    private volatile boolean aborted;
    private volatile Future<T> future;

    void started(Future<T> future) {
        this.future = future;
    }

    /**
     * Cancels the future and aborts the exchange with HttpClient's hard cancel (the exchange fails,
     * its connection is discarded). From any thread; an exchange not yet under way is aborted as it
     * starts.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        aborted = true;
        boolean cancelled = future != null && future.cancel(mayInterruptIfRunning);
        Cancellable handle = exchange.getAndSet(null);
        if (handle != null) {
            handle.cancel();
        }
        return cancelled;
    }

    private CancellableDependency noting(CancellableDependency future) {
        return new CancellableDependency() {
            @Override
            public void setDependency(Cancellable dependency) {
                future.setDependency(dependency);
                exchange.set(dependency);
                if (aborted && exchange.compareAndSet(dependency, null)) {
                    dependency.cancel(); // cancelled while this step was starting it
                }
            }

            @Override
            public boolean isCancelled() {
                return future.isCancelled();
            }

            @Override
            public boolean cancel() {
                return future.cancel();
            }
        };
    }

    @Override
    public boolean isCancelled() {
        return future.isCancelled();
    }

    @Override
    public boolean isDone() {
        return future.isDone();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        return future.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(timeout, unit);
    }
}
