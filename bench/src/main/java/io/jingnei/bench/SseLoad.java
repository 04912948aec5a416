package io.jingnei.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * Many SSE streams at once from one non-blocking client: the JDK HttpClient (HTTP/1.1, one
 * connection per stream) with a line subscriber per stream, so 1,000 streams need no 1,000 threads.
 */
final class SseLoad implements AutoCloseable {
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(executor).connectTimeout(Duration.ofSeconds(30)).build();

    /** What one stream saw. Times are ms after its request was sent; -1 when it never happened. */
    static final class Stream {
        final long startNanos = System.nanoTime();
        volatile int status = -1;
        volatile double firstContentMs = -1;
        volatile int contentChunks;
        volatile boolean done;
        volatile String errorEvent;
        volatile Throwable failure;
        volatile double endMs = -1;

        boolean completed() {
            return status == 200 && done && errorEvent == null && failure == null;
        }
    }

    /** Starts {@code count} streams at once and waits for all of them (at most {@code limit}). */
    List<Stream> run(String url, Map<String, String> headers, String body, int count, Duration limit) throws InterruptedException {
        List<Stream> streams = new ArrayList<>(count);
        List<CompletableFuture<?>> running = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Stream stream = new Stream();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(limit)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            streams.add(stream);
            running.add(client.sendAsync(request.build(), info -> {
                stream.status = info.statusCode();
                return HttpResponse.BodyHandlers.fromLineSubscriber(new Lines(stream)).apply(info);
            }).whenComplete((response, error) -> {
                if (error != null) {
                    stream.failure = error;
                }
                stream.endMs = (System.nanoTime() - stream.startNanos) / 1e6;
            }));
        }
        try {
            CompletableFuture.allOf(running.toArray(new CompletableFuture[0])).get(limit.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (Exception someFailedOrHung) {
            // each stream keeps its own outcome
        }
        return streams;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static final class Lines implements Flow.Subscriber<String> {
        private final Stream stream;

        Lines(Stream stream) {
            this.stream = stream;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (!line.startsWith("data:")) {
                return;
            }
            String data = line.substring(5).trim();
            if (data.equals("[DONE]")) {
                stream.done = true;
            } else if (data.startsWith("{\"error\"")) {
                stream.errorEvent = data;
            } else if (data.contains("\"content\":\"") && !data.contains("\"content\":\"\"")) {
                if (stream.contentChunks++ == 0) {
                    stream.firstContentMs = (System.nanoTime() - stream.startNanos) / 1e6;
                }
            }
        }

        @Override
        public void onError(Throwable throwable) {
            stream.failure = throwable;
        }

        @Override
        public void onComplete() {
        }
    }
}
