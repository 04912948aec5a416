package io.jingnei.bench;

import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many concurrent streams on one web-function instance: the packaged function started by
 * {@code bootstrap} (RAG off, cache off) against a fake upstream that streams 10 chunks 100 ms
 * apart, hit by {@link #streams} SSE clients at once. Then the same instance under upstream resets
 * mid-stream. Each run starts a fresh process, so its VmHWM is that run's peak.
 *
 * <p>{@code -Dstreams.compare=DIR} adds a row for another packaged web function (a build of an
 * earlier commit), measured in turns with this one; {@code -Dstreams.javaOpts=...} is added to
 * the function's JVM flags (JFR, NMT) without changing the rows.
 */
final class StreamLoadBench {
    private static final int CHUNKS = 10;
    private static final int GAP_MS = 100;
    private static final int RESET_AFTER = 4;
    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final Map<String, String> KEY = Map.of("Authorization", "Bearer " + BenchMain.BENCH_KEY);

    private final Path root;
    private final Path work;
    private final int streams;
    private final int resetStreams;
    private final int runs;

    StreamLoadBench(Path root, Path work, int streams, int resetStreams, int runs) {
        this.root = root;
        this.work = work;
        this.streams = streams;
        this.resetStreams = resetStreams;
        this.runs = runs;
    }

    /** Starts a gateway process for one run (its logs go under the work folder). */
    private interface Launcher {
        Gateway launch(FakeUpstream upstream, int run) throws Exception;
    }

    private static final class Variant {
        final String name;
        /** Null for the direct path: no process of its own. */
        final Launcher launcher;
        /** Jingnei builds also take the reset burst; Portkey is measured for memory and first chunk only. */
        final boolean jingnei;
        final List<Run> runs = new ArrayList<>();

        Variant(String name, Launcher launcher, boolean jingnei) {
            this.name = name;
            this.launcher = launcher;
            this.jingnei = jingnei;
        }
    }

    /** One measured burst and, for a process, its memory. */
    private static final class Run {
        List<SseLoad.Stream> load;
        /** The same burst again on the same process: connections pooled, code compiled. */
        List<SseLoad.Stream> again;
        List<SseLoad.Stream> resets;
        double idleRssMb;
        /** Highest VmRSS sampled during a burst of 100 streams (the figure). */
        double rss100Mb;
        double peakRssMb;
        double hwmMb;
    }

    void run(Report report) throws Exception {
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("through Jingnei /v1", jingnei(root.resolve("functions/app/target/jingnei-web"), ""), true));
        String compare = System.getProperty("streams.compare", "");
        if (!compare.isEmpty()) {
            variants.add(new Variant("through Jingnei /v1, " + Path.of(compare).getFileName() + " (compare)", jingnei(Path.of(compare), "-compare"), true));
        }
        variants.add(new Variant("through Portkey gateway 1.15.2 (Node, pinned to core " + Pinning.GATEWAY_CORE + ")", portkey(), false));
        Variant direct = new Variant("direct to upstream", null, false);
        String[] deltas = new String[CHUNKS];
        for (int i = 0; i < CHUNKS; i++) {
            deltas[i] = "字" + i;
        }
        Reply whole = Reply.stream(GAP_MS, deltas);
        try (FakeUpstream upstream = FakeUpstream.start(); SseLoad load = new SseLoad()) {
            upstream.fallback(whole);
            for (int i = 0; i < 2; i++) {
                // Client and fake upstream share this JVM: the first bursts of each are slow (JIT, threads).
                load.run(upstream.baseUrl() + "/chat/completions", Map.of("Authorization", "Bearer " + FakeUpstream.KEY), body(), streams, LIMIT);
            }
            for (int r = 0; r < runs; r++) {
                upstream.fallback(whole);
                Run d = new Run();
                d.load = load.run(upstream.baseUrl() + "/chat/completions", Map.of("Authorization", "Bearer " + FakeUpstream.KEY),
                        body(), streams, LIMIT);
                direct.runs.add(d);
                print(direct.name, r, d);
                for (Variant variant : variants) {
                    Run run = measure(variant, upstream, load, whole, r);
                    variant.runs.add(run);
                    print(variant.name, r, run);
                }
            }
        }
        List<Variant> all = new ArrayList<>();
        all.add(direct);
        all.addAll(variants);
        report.heading("Concurrent streams on one instance", streams + " SSE clients at once (raw HTTP/1.1 from one selector thread, a fresh connection each) on `/v1/chat/completions`, "
                + "`stream: true`; the fake upstream streams a role chunk and " + CHUNKS + " content chunks " + GAP_MS + " ms apart, so a stream "
                + "takes at least " + (CHUNKS + 4) * GAP_MS + " ms and its first content chunk comes " + 2 * GAP_MS + " ms after the request at best. "
                + "Jingnei is the packaged web function started by `bootstrap` (its default flags, RAG off, cache off), Portkey is `@portkey-ai/gateway` "
                + "on Node; one fresh process per run, after 100 warm-up streams, then a burst of 100 streams, then the burst of " + streams
                + "; \"again\" is a second burst of " + streams + " on the same process right after the first (its "
                + "connections pooled, its code compiled). First chunk = time from opening the connection to the first content chunk. Idle RSS = "
                + "VmRSS after the warm-up; RSS at 100 streams = the highest VmRSS sampled every 20 ms during the burst of 100; peak RSS = VmHWM "
                + "of the process after all bursts. Medians over " + runs + " runs (p99: median of the runs' p99s).");
        List<List<String>> rows = new ArrayList<>();
        for (Variant v : all) {
            boolean process = v.launcher != null;
            rows.add(List.of(v.name, completed(v, r -> r.load) + (process ? ", " + completed(v, r -> r.again) : ""),
                    Stats.ms(median(v, r -> Stats.median(firsts(r.load)))),
                    Stats.ms(median(v, r -> Stats.p99(firsts(r.load)))), Stats.ms(median(v, r -> lastEnd(r.load))),
                    process ? Stats.ms(median(v, r -> Stats.median(firsts(r.again)))) + " / " + Stats.ms(median(v, r -> Stats.p99(firsts(r.again)))) : "-",
                    process ? String.format("%.0f", median(v, r -> r.idleRssMb)) : "-",
                    process ? String.format("%.0f", median(v, r -> r.rss100Mb)) : "-",
                    process ? String.format("%.0f", median(v, r -> r.hwmMb)) : "-"));
        }
        report.table(List.of("path", "completed", "first chunk p50 ms", "first chunk p99 ms", "all done ms",
                "again: first chunk p50 / p99 ms", "idle RSS MB", "RSS at 100 streams MB", "peak RSS MB"), rows);
        Variant ours = variants.get(0);
        Variant portkey = variants.get(variants.size() - 1);
        double rss100 = median(ours, r -> r.rss100Mb);
        report.target("RSS under 100 concurrent streams (RAG off); idle / " + streams + " streams",
                String.format("%.0f MB; %.0f / %.0f MB", rss100, median(ours, r -> r.idleRssMb), median(ours, r -> r.hwmMb)),
                String.format("%.0f MB; %.0f / %.0f MB", median(portkey, r -> r.rss100Mb), median(portkey, r -> r.idleRssMb),
                        median(portkey, r -> r.hwmMb)),
                "≤ 200 MB", rss100 <= 200,
                "heap and young generation as `bootstrap` sets them (`-XX:MaxNewSize=32m`); see \"Concurrent streams on one instance\"");

        report.heading("Upstream resets mid-stream", resetStreams + " streams at once on the same instance, right after the run above; the upstream "
                + "resets each connection 1 s after its " + RESET_AFTER + "th event. Every client should get the final `data: {\"error\": ...}` event "
                + "and none `[DONE]`. Medians over " + runs + " runs; counts are the worst run.");
        List<List<String>> resetRows = new ArrayList<>();
        for (Variant v : variants) {
            if (!v.jingnei) {
                continue;
            }
            resetRows.add(List.of(v.name, String.valueOf(resetStreams), worst(v, r -> count(r.resets, s -> s.errorEvent != null), true),
                    worst(v, r -> count(r.resets, s -> s.done), false),
                    // A cut after the error event is the intended end (issue 22): only a failure without it counts.
                    worst(v, r -> count(r.resets, s -> (s.failure != null && s.errorEvent == null) || s.status != 200), false),
                    Stats.ms(median(v, r -> lastEnd(r.resets)))));
        }
        report.table(List.of("path", "streams", "error event", "[DONE]", "failed otherwise", "all done ms"), resetRows);
    }

    private Launcher jingnei(Path web, String logSuffix) {
        return (upstream, r) -> {
            int port = Processes.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("JINGNEI_LLM_BASE_URL", upstream.baseUrl());
        env.put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
        env.put("JINGNEI_RAG_ENABLED", "false");
        env.put("JINGNEI_CACHE", "off");
        env.put("FC_CUSTOM_LISTEN_PORT", String.valueOf(port));
        // FC_CUSTOM_LISTEN_PORT makes it FC, where callers need credentials: measured as deployed, with a client key.
        env.put("JINGNEI_CLIENT_KEYS", BenchMain.BENCH_KEY + ":bench");
        env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("JINGNEI_JAVA_OPTS", System.getProperty("streams.javaOpts", ""));
            Process process = Processes.start(web, env, work.resolve("streams-" + r + logSuffix + ".log"), "bash", "bootstrap");
            Processes.untilAnswered(System.nanoTime(), process, "http://127.0.0.1:" + port + "/health", "", h -> h.statusCode() < 500);
            return new Gateway("Jingnei", "http://127.0.0.1:" + port + "/v1", KEY, process);
        };
    }

    private Launcher portkey() {
        return (upstream, r) -> Portkey.start(root, work, upstream.baseUrl());
    }

    private Run measure(Variant variant, FakeUpstream upstream, SseLoad load, Reply whole, int r) throws Exception {
        upstream.fallback(whole);
        Gateway launched = variant.launcher.launch(upstream, r);
        String url = launched.baseUrl + "/chat/completions";
        Run run = new Run();
        try {
            List<SseLoad.Stream> warmUp = load.run(url, launched.headers, body(), 100, LIMIT);
            if (count(warmUp, SseLoad.Stream::completed) != warmUp.size()) {
                throw new IllegalStateException(variant.name + ": warm-up streams failed; see its log in " + work);
            }
            Thread.sleep(500);
            long pid = launched.process.pid();
            run.idleRssMb = Processes.statusKb(pid, "VmRSS") / 1024.0;
            try (RssSampler hundred = new RssSampler(pid)) {
                List<SseLoad.Stream> burst = load.run(url, launched.headers, body(), 100, LIMIT);
                if (count(burst, SseLoad.Stream::completed) != burst.size()) {
                    throw new IllegalStateException(variant.name + ": " + (burst.size() - count(burst, SseLoad.Stream::completed))
                            + " of 100 streams failed; see its log in " + work);
                }
                run.rss100Mb = hundred.peakMb();
            }
            try (RssSampler sampler = new RssSampler(pid)) {
                run.load = load.run(url, launched.headers, body(), streams, LIMIT);
                run.again = load.run(url, launched.headers, body(), streams, LIMIT);
                run.peakRssMb = sampler.peakMb();
            }
            run.hwmMb = Processes.statusKb(pid, "VmHWM") / 1024.0;

            if (variant.jingnei) {
                upstream.fallback(whole.resetAfter(RESET_AFTER, 1_000));
                run.resets = load.run(url, launched.headers, body(), resetStreams, LIMIT);
                upstream.fallback(whole);
                Files.writeString(work.resolve("streams-last-status.txt"), Files.readString(Path.of("/proc/" + pid + "/status")));
            }
        } finally {
            Processes.stop(launched.process);
        }
        return run;
    }

    /** The highest VmRSS of a process, sampled every 20 ms while open. */
    private static final class RssSampler implements AutoCloseable {
        private final AtomicLong peakKb = new AtomicLong();
        private final Thread thread;

        RssSampler(long pid) {
            thread = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peakKb.accumulateAndGet(Processes.statusKb(pid, "VmRSS"), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            thread.start();
        }

        double peakMb() {
            return Math.max(peakKb.get(), 0) / 1024.0;
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join();
        }
    }

    private static String body() {
        return "{\"model\":\"deepseek-v3.2\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"你好\"}]}";
    }

    private static List<Double> firsts(List<SseLoad.Stream> streams) {
        List<Double> out = new ArrayList<>();
        for (SseLoad.Stream s : streams) {
            if (s.firstContentMs >= 0) {
                out.add(s.firstContentMs);
            }
        }
        return out.isEmpty() ? List.of(Double.NaN) : out;
    }

    private static double lastEnd(List<SseLoad.Stream> streams) {
        return streams.stream().mapToDouble(s -> s.endMs).max().orElse(Double.NaN);
    }

    private static int count(List<SseLoad.Stream> streams, java.util.function.Predicate<SseLoad.Stream> test) {
        return (int) streams.stream().filter(test).count();
    }

    private static double median(Variant v, java.util.function.ToDoubleFunction<Run> figure) {
        List<Double> values = new ArrayList<>();
        for (Run r : v.runs) {
            values.add(figure.applyAsDouble(r));
        }
        return Stats.median(values);
    }

    private String completed(Variant v, java.util.function.Function<Run, List<SseLoad.Stream>> which) {
        return worst(v, r -> count(which.apply(r), SseLoad.Stream::completed), true) + " / " + streams;
    }

    /** The lowest (or highest) count over the runs. */
    private static String worst(Variant v, java.util.function.ToIntFunction<Run> figure, boolean lowest) {
        int worst = lowest ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        for (Run r : v.runs) {
            int value = figure.applyAsInt(r);
            worst = lowest ? Math.min(worst, value) : Math.max(worst, value);
        }
        return String.valueOf(worst);
    }

    private void print(String name, int r, Run run) {
        StringBuilder line = new StringBuilder(String.format("streams run %d, %s: completed %d/%d, first chunk p50 %.0f p99 %.0f ms, all done %.0f ms",
                r, name, count(run.load, SseLoad.Stream::completed), run.load.size(), Stats.median(firsts(run.load)),
                Stats.p99(firsts(run.load)), lastEnd(run.load)));
        if (run.again != null) {
            line.append(String.format("; again: completed %d, first chunk p50 %.0f p99 %.0f ms", count(run.again, SseLoad.Stream::completed),
                    Stats.median(firsts(run.again)), Stats.p99(firsts(run.again))));
        }
        if (run.resets != null) {
            line.append(String.format("; idle RSS %.0f MB, peak sampled %.0f MB, VmHWM %.0f MB; resets: %d error events, %d [DONE], %d failed of %d",
                    run.idleRssMb, run.peakRssMb, run.hwmMb, count(run.resets, s -> s.errorEvent != null), count(run.resets, s -> s.done),
                    count(run.resets, s -> s.failure != null || s.status != 200), run.resets.size()));
        }
        for (SseLoad.Stream s : run.load) {
            if (!s.completed()) {
                line.append("\n  first incomplete stream: status ").append(s.status).append(", chunks ").append(s.contentChunks)
                        .append(", error ").append(s.errorEvent).append(", failure ").append(s.failure);
                break;
            }
        }
        System.out.println(line);
    }
}
