package io.jingnei.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Latency a gateway adds to a fast upstream, its throughput at concurrency 50, and what it does to a stream. */
final class OverheadBench {
    private static final String BODY = "{\"model\":\"deepseek-v3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"你好\"}]}";
    private static final String STREAM_BODY = "{\"model\":\"deepseek-v3.2\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"你好\"}]}";
    private final int warmup;
    private final int sequential;
    private final int concurrentSeconds;
    private final int streams;
    /** What the cost model needs from the Jingnei row. */
    double jingneiAddedMs;
    double jingneiRssMb;

    OverheadBench(int warmup, int sequential, int concurrentSeconds, int streams) {
        this.warmup = warmup;
        this.sequential = sequential;
        this.concurrentSeconds = concurrentSeconds;
        this.streams = streams;
    }

    /** The sequential rounds' connection to each path, kept alive across calls. */
    private final Map<Gateway, KeepAliveClient> sequentialClients = new java.util.HashMap<>();

    private double once(Gateway gateway) throws Exception {
        return once(gateway, sequentialClients.computeIfAbsent(gateway, g -> new KeepAliveClient(g.baseUrl, g.headers)));
    }

    private static double once(Gateway gateway, KeepAliveClient connection) throws Exception {
        long start = System.nanoTime();
        KeepAliveClient.Response response = connection.post("/chat/completions", BODY);
        if (response.status != 200) {
            throw new IllegalStateException(gateway.name + " answered " + response.status + ": " + response.body);
        }
        return (System.nanoTime() - start) / 1e6;
    }

    void overhead(Report report, List<Gateway> gateways) throws Exception {
        report.heading("Gateway overhead", "A fake OpenAI-compatible upstream on loopback answers at once; " + Pinning.describe() + ". "
                + "Sequential: " + warmup + " warm-up rounds, then " + sequential + " rounds, each round one non-streaming call per path in "
                + "rotating order, so every path sees the same machine state. Concurrent: 50 clients for " + concurrentSeconds
                + " s per path. Added = the path's median minus the direct median; \"vs Portkey\" = Jingnei's figure over Portkey's "
                + "(added latency: lower is better; throughput: higher is better). RSS = resident memory of the gateway process after the "
                + "concurrent run. Every call goes over a kept-alive HTTP/1.1 connection on a plain socket (TCP_NODELAY), one per client "
                + "thread. Jingnei runs the packaged web function (`bootstrap`, C1 only for its cold start; the C2 row is the same "
                + "package with the full JIT); Portkey is `@portkey-ai/gateway` on Node.");
        Map<Gateway, List<Double>> times = new LinkedHashMap<>();
        gateways.forEach(g -> times.put(g, new ArrayList<>()));
        for (int round = 0; round < warmup + sequential; round++) {
            for (int k = 0; k < gateways.size(); k++) {
                Gateway gateway = gateways.get((round + k) % gateways.size());
                double ms = once(gateway);
                if (round >= warmup) {
                    times.get(gateway).add(ms);
                }
            }
        }
        double directMedian = Stats.median(times.get(gateways.get(0)));
        Map<Gateway, double[]> load = new LinkedHashMap<>();
        Map<Gateway, Double> rss = new LinkedHashMap<>();
        for (Gateway gateway : gateways) {
            load.put(gateway, concurrent(gateway));
            if (gateway.process != null) {
                rss.put(gateway, Processes.rssMb(gateway.process));
            }
        }
        Gateway jingnei = gateways.stream().filter(g -> g.name.contains("Jingnei")).findFirst().orElseThrow();
        Gateway portkey = gateways.stream().filter(g -> g.name.contains("Portkey")).findFirst().orElse(null);
        jingneiAddedMs = Stats.median(times.get(jingnei)) - directMedian;
        jingneiRssMb = rss.get(jingnei);
        double portkeyAdded = portkey == null ? Double.NaN : Stats.median(times.get(portkey)) - directMedian;
        List<List<String>> rows = new ArrayList<>();
        for (Gateway gateway : gateways) {
            double median = Stats.median(times.get(gateway));
            boolean isJingnei = gateway.name.contains("Jingnei");
            rows.add(List.of(gateway.name, Stats.ms(median), Stats.ms(Stats.p99(times.get(gateway))),
                    gateway.process == null ? "-" : Stats.ms(median - directMedian),
                    isJingnei && portkey != null ? String.format("%.2fx", (median - directMedian) / portkeyAdded) : "-",
                    String.format("%.0f", load.get(gateway)[0]),
                    isJingnei && portkey != null ? String.format("%.1fx", load.get(gateway)[0] / load.get(portkey)[0]) : "-",
                    Stats.ms(load.get(gateway)[1]),
                    gateway.process == null ? "-" : String.format("%.0f", rss.get(gateway))));
        }
        report.table(List.of("path", "seq p50 ms", "seq p99 ms", "added p50 ms", "added vs Portkey", "c=50 req/s", "req/s vs Portkey",
                "c=50 p99 ms", "RSS MB"), rows);
        if (portkey != null) {
            double ratio = jingneiAddedMs / portkeyAdded;
            report.target("added latency p50, non-streamed `/v1` (packaged `bootstrap`)", String.format("%.2f ms (%.2fx Portkey)", jingneiAddedMs, ratio),
                    String.format("%.2f ms", portkeyAdded), "≤ 0.3 ms and ≤ 0.25x Portkey's", jingneiAddedMs <= 0.3 && ratio <= 0.25,
                    "a JFR profile of this path (docs/benchmarks.md, performance notes) has no hot spot left after the log-redaction fix (74% of the "
                            + "samples before it): the time is spread over Vert.x routing, parsing and writing the JSON body, HttpClient 5's "
                            + "exchange (event loop to I/O reactor and back) and the log line; C2 (the row below) does not lower it");
            double throughput = load.get(jingnei)[0] / load.get(portkey)[0];
            report.target("c=50 throughput, one core", String.format("%.0f req/s (%.1fx Portkey)", load.get(jingnei)[0], throughput),
                    String.format("%.0f req/s", load.get(portkey)[0]), "≥ 8x Portkey", throughput >= 8,
                    String.format("the load generator and the upstream share core 0, and the direct path itself reached %.0f req/s there: "
                            + "the client side caps what a gateway can show", load.get(gateways.get(0))[0]));
        }
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
                KeepAliveClient connection = new KeepAliveClient(gateway.baseUrl, gateway.headers);
                while (System.nanoTime() < end) {
                    try {
                        times.add(once(gateway, connection));
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        try {
                            connection.close();
                        } catch (java.io.IOException ignored) {
                            // a new connection is opened on the next call
                        }
                    }
                }
                try {
                    connection.close();
                } catch (java.io.IOException ignored) {
                    // closing at the end
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
                + " streams per path after 5 warm-up streams each, one stream per path in rotating order; " + Pinning.describe()
                + ". First chunk = time from sending the request to the first content chunk (median); added = the path's minus the direct "
                + "path's. Added per chunk = the mean arrival time of a chunk through the gateway minus the same through the direct path "
                + "(median over streams).");
        Map<Gateway, List<Double>> first = new LinkedHashMap<>();
        Map<Gateway, List<Double>> meanArrival = new LinkedHashMap<>();
        Map<Gateway, List<Double>> gaps = new LinkedHashMap<>();
        for (Gateway gateway : gateways) {
            first.put(gateway, new ArrayList<>());
            meanArrival.put(gateway, new ArrayList<>());
            gaps.put(gateway, new ArrayList<>());
        }
        for (int s = 0; s < 5 + streams; s++) {
            for (int k = 0; k < gateways.size(); k++) {
                Gateway gateway = gateways.get((s + k) % gateways.size());
                List<Double> arrivals = stream(gateway);
                if (s < 5) {
                    continue;
                }
                first.get(gateway).add(arrivals.get(0));
                meanArrival.get(gateway).add(arrivals.stream().mapToDouble(Double::doubleValue).average().orElse(0));
                for (int i = 1; i < arrivals.size(); i++) {
                    gaps.get(gateway).add(arrivals.get(i) - arrivals.get(i - 1));
                }
            }
        }
        Gateway direct = gateways.get(0);
        double directFirst = Stats.median(first.get(direct));
        Gateway jingnei = gateways.stream().filter(g -> g.name.contains("Jingnei")).findFirst().orElseThrow();
        Gateway portkey = gateways.stream().filter(g -> g.name.contains("Portkey")).findFirst().orElse(null);
        List<List<String>> rows = new ArrayList<>();
        for (Gateway gateway : gateways) {
            boolean isDirect = gateway == direct;
            double addedFirst = Stats.median(first.get(gateway)) - directFirst;
            rows.add(List.of(gateway.name, Stats.ms(Stats.median(first.get(gateway))), isDirect ? "-" : Stats.ms(addedFirst),
                    gateway.name.contains("Jingnei") && portkey != null
                            ? String.format("%.2fx", addedFirst / (Stats.median(first.get(portkey)) - directFirst)) : "-",
                    Stats.ms(Stats.median(gaps.get(gateway))), Stats.ms(Stats.p99(gaps.get(gateway))),
                    isDirect ? "-" : Stats.ms(Stats.median(meanArrival.get(gateway)) - Stats.median(meanArrival.get(direct)))));
        }
        report.table(List.of("path", "first chunk ms", "added first chunk ms", "vs Portkey", "gap p50 ms", "gap p99 ms",
                "added per chunk ms"), rows);
        if (portkey != null) {
            double ours = Stats.median(first.get(jingnei)) - directFirst;
            double theirs = Stats.median(first.get(portkey)) - directFirst;
            report.target("added time to first chunk, streamed", String.format("%.2f ms (%.2fx Portkey)", ours, ours / theirs),
                    String.format("%.2f ms", theirs), "≤ 1 ms", ours <= 1,
                    "the chunks' arrival times count from the request, so \"added per chunk\" below carries the same offset: "
                            + "strace shows each chunk relayed from the upstream's socket to the client's in well under a millisecond, "
                            + "while the work before the upstream request (read, authenticate, mask, route, lease a connection, start "
                            + "the exchange) is the larger part; it was not cut further this round; docs/benchmarks.md, performance notes");
        }
    }

    /** Arrival times (ms after sending) of the content chunks of one stream. */
    private List<Double> stream(Gateway gateway) throws Exception {
        List<Double> arrivals = new ArrayList<>();
        KeepAliveClient connection = sequentialClients.computeIfAbsent(gateway, g -> new KeepAliveClient(g.baseUrl, g.headers));
        int status = connection.stream("/chat/completions", STREAM_BODY, (line, ms) -> {
            if (line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
                arrivals.add(ms);
            }
        });
        if (arrivals.isEmpty()) {
            throw new IllegalStateException(gateway.name + " streamed no content (HTTP " + status + ")");
        }
        return arrivals;
    }
}
