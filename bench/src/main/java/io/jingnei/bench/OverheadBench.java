package io.jingnei.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Latency a gateway adds to a fast upstream, its throughput at concurrency 50, and what it does to a stream. */
final class OverheadBench {
    private static final String BODY = "{\"model\":\"deepseek-v3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"你好\"}]}";
    private static final String STREAM_BODY = "{\"model\":\"deepseek-v3.2\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"你好\"}]}";
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(8)).connectTimeout(Duration.ofSeconds(5)).build();
    private final int sequential;
    private final int concurrentSeconds;
    private final int streams;
    /** What the cost model needs from the Jingnei row. */
    double jingneiAddedMs;
    double jingneiRssMb;

    OverheadBench(int sequential, int concurrentSeconds, int streams) {
        this.sequential = sequential;
        this.concurrentSeconds = concurrentSeconds;
        this.streams = streams;
    }

    private HttpRequest request(Gateway gateway, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(gateway.baseUrl + "/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        gateway.headers.forEach(builder::header);
        return builder.build();
    }

    private double once(Gateway gateway) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = client.send(request(gateway, BODY), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(gateway.name + " answered " + response.statusCode() + ": " + response.body());
        }
        return (System.nanoTime() - start) / 1e6;
    }

    void overhead(Report report, List<Gateway> gateways) throws Exception {
        report.heading("Gateway overhead", "A fake OpenAI-compatible upstream on loopback answers at once. Sequential: " + sequential
                + " non-streaming calls one after another (after 50 warm-up calls). Concurrent: 50 clients for " + concurrentSeconds
                + " s. Added = the gateway's median minus the direct median. RSS = resident memory of the gateway process(es) after the "
                + "concurrent run. Jingnei runs the packaged web function (`bootstrap`); Portkey is `@portkey-ai/gateway` on Node.");
        List<List<String>> rows = new ArrayList<>();
        double directMedian = 0;
        for (Gateway gateway : gateways) {
            for (int i = 0; i < 50; i++) {
                once(gateway);
            }
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < sequential; i++) {
                times.add(once(gateway));
            }
            double median = Stats.median(times);
            if (gateway.process == null) {
                directMedian = median;
            }
            double[] concurrent = concurrent(gateway);
            if (gateway.name.contains("Jingnei")) {
                jingneiAddedMs = median - directMedian;
                jingneiRssMb = Processes.rssMb(gateway.process);
            }
            rows.add(List.of(gateway.name, Stats.ms(median), Stats.ms(Stats.p99(times)),
                    gateway.process == null ? "-" : Stats.ms(median - directMedian),
                    String.format("%.0f", concurrent[0]), Stats.ms(concurrent[1]),
                    gateway.process == null ? "-" : String.format("%.0f", Processes.rssMb(gateway.process))));
        }
        report.table(List.of("path", "seq p50 ms", "seq p99 ms", "added p50 ms", "c=50 req/s", "c=50 p99 ms", "RSS MB"), rows);
    }

    /** {requests per second, p99 ms} with 50 clients. */
    private double[] concurrent(Gateway gateway) throws Exception {
        List<Double> times = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(50);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(concurrentSeconds);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 50; c++) {
            running.add(clients.submit(() -> {
                while (System.nanoTime() < end) {
                    try {
                        times.add(once(gateway));
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        clients.shutdown();
        if (errors.get() > times.size() / 100) {
            throw new IllegalStateException(gateway.name + ": " + errors.get() + " errors under load");
        }
        return new double[] {times.size() / (double) concurrentSeconds, Stats.p99(times)};
    }

    void streaming(Report report, List<Gateway> gateways, int chunks, int gapMillis) throws Exception {
        report.heading("Streaming", "The upstream streams " + chunks + " chunks " + gapMillis + " ms apart; " + streams
                + " streams per path. First chunk = time from sending the request to the first content chunk (median). Added per chunk = "
                + "the mean arrival time of a chunk through the gateway minus the same through the direct path (median over streams).");
        List<List<String>> rows = new ArrayList<>();
        List<Double> direct = null;
        for (Gateway gateway : gateways) {
            List<Double> first = new ArrayList<>();
            List<Double> meanArrival = new ArrayList<>();
            List<Double> gaps = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                List<Double> arrivals = stream(gateway);
                first.add(arrivals.get(0));
                meanArrival.add(arrivals.stream().mapToDouble(Double::doubleValue).average().orElse(0));
                for (int i = 1; i < arrivals.size(); i++) {
                    gaps.add(arrivals.get(i) - arrivals.get(i - 1));
                }
            }
            if (gateway.process == null) {
                direct = meanArrival;
            }
            String added = gateway.process == null || direct == null ? "-" : Stats.ms(Stats.median(meanArrival) - Stats.median(direct));
            rows.add(List.of(gateway.name, Stats.ms(Stats.median(first)), Stats.ms(Stats.median(gaps)), Stats.ms(Stats.p99(gaps)), added));
        }
        report.table(List.of("path", "first chunk ms", "gap p50 ms", "gap p99 ms", "added per chunk ms"), rows);
    }

    /** Arrival times (ms after sending) of the content chunks of one stream. */
    private List<Double> stream(Gateway gateway) throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = client.send(request(gateway, STREAM_BODY), HttpResponse.BodyHandlers.ofInputStream());
        List<Double> arrivals = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("data:") && line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
                    arrivals.add((System.nanoTime() - start) / 1e6);
                }
            }
        }
        if (arrivals.isEmpty()) {
            throw new IllegalStateException(gateway.name + " streamed no content (HTTP " + response.statusCode() + ")");
        }
        return arrivals;
    }
}
