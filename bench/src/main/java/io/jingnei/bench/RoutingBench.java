package io.jingnei.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.config.Env;
import io.jingnei.core.entry.OpenAiSurface;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;
import io.jingnei.core.util.TimeSource;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the upstream list costs per call: the core's chat-completions path (caps, limits, routing,
 * failover, accounting, log line) against one upstream, three healthy ones, and three whose first
 * is down (refused connections until its breaker opens, then skipped). Fake upstreams on loopback
 * answer at once, so the figures are the gateway's own work plus one loopback round trip.
 */
final class RoutingBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final int callsPerRound;
    private final int rounds;

    RoutingBench(int callsPerRound, int rounds) {
        this.callsPerRound = callsPerRound;
        this.rounds = rounds;
    }

    void run(Report report) throws Exception {
        report.heading("Routing across upstreams", "In-process calls of `/v1/chat/completions` through the core (no HTTP in front), "
                + callsPerRound + " sequential calls per round, " + rounds + " rounds interleaved across the set-ups after a "
                + "warm-up round each; medians and p99 over all rounds. Fake upstreams on loopback answer at once. "
                + "`dead` = the first upstream refuses connections (its breaker opens after 5 failures, then it is skipped).");
        List<FakeUpstream> upstreams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            upstreams.add(FakeUpstream.start().fallback(Reply.completion("好的", 8, 2)));
        }
        int deadPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            deadPort = probe.getLocalPort();
        }
        Map<String, Setup> setups = new LinkedHashMap<>();
        try {
            setups.put("one upstream (JINGNEI_LLM_BASE_URL)", new Setup(Map.of("JINGNEI_LLM_BASE_URL", upstreams.get(0).baseUrl(),
                    "JINGNEI_LLM_API_KEY", FakeUpstream.KEY)));
            setups.put("three upstreams, all healthy", new Setup(Map.of("JINGNEI_UPSTREAMS", list(
                    upstreams.get(0).baseUrl(), upstreams.get(1).baseUrl(), upstreams.get(2).baseUrl()))));
            setups.put("three upstreams, the first dead", new Setup(Map.of("JINGNEI_UPSTREAMS", list(
                    "http://127.0.0.1:" + deadPort + "/v1", upstreams.get(1).baseUrl(), upstreams.get(2).baseUrl()))));
            for (Setup setup : setups.values()) {
                setup.round(callsPerRound, false);
            }
            for (int r = 0; r < rounds; r++) {
                for (Setup setup : setups.values()) {
                    setup.round(callsPerRound, true);
                }
            }
            double base = Stats.median(setups.values().iterator().next().millis);
            List<List<String>> rows = new ArrayList<>();
            for (Map.Entry<String, Setup> e : setups.entrySet()) {
                double p50 = Stats.median(e.getValue().millis);
                rows.add(List.of(e.getKey(), Stats.ms(p50), Stats.ms(Stats.p99(e.getValue().millis)),
                        e.getKey().startsWith("one") ? "-" : String.format("%+.3f", p50 - base),
                        String.format("%.2f", p50 / base), String.valueOf(e.getValue().failed)));
            }
            report.table(List.of("set-up", "p50 ms", "p99 ms", "added p50 ms vs one", "ratio", "failed calls"), rows);
        } finally {
            setups.values().forEach(Setup::close);
            upstreams.forEach(FakeUpstream::close);
        }
    }

    private static String list(String first, String second, String third) {
        return "[" + entry("a", first) + "," + entry("b", second) + "," + entry("c", third) + "]";
    }

    private static String entry(String name, String baseUrl) {
        return "{\"name\":\"" + name + "\",\"base_url\":\"" + baseUrl + "\",\"api_keys\":[\"" + FakeUpstream.KEY
                + "\"],\"models\":[\"deepseek-v3.2\"]}";
    }

    /** One booted core and its measurements. */
    private static final class Setup implements AutoCloseable {
        final JingneiInstance instance;
        final OpenAiSurface surface;
        final List<Double> millis = new ArrayList<>();
        int failed;

        Setup(Map<String, String> upstreamEnv) {
            Map<String, String> env = new HashMap<>(upstreamEnv);
            env.put("JINGNEI_RAG_ENABLED", "false");
            env.put("JINGNEI_CACHE", "off");
            this.instance = JingneiInstance.boot(Env.of(env), TimeSource.system(), new CallLog(line -> { }), Optional::empty);
            this.surface = new OpenAiSurface(instance, Env.of(env));
        }

        void round(int calls, boolean record) throws Exception {
            for (int i = 0; i < calls; i++) {
                ObjectNode body = (ObjectNode) JSON.readTree("{\"model\":\"deepseek-v3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"你好\"}]}");
                long start = System.nanoTime();
                try {
                    CallContext ctx = surface.prepare(Caller.anonymous(), body, "bench-" + i);
                    surface.complete(body, ctx).join();
                } catch (RuntimeException e) {
                    failed++;
                }
                if (record) {
                    millis.add((System.nanoTime() - start) / 1e6);
                }
            }
        }

        @Override
        public void close() {
            instance.close();
        }
    }
}
