package io.jingnei.bench;

import io.jingnei.core.testing.FakeUpstream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** JVM launch to first successful answer, for each way Jingnei runs, and a minimal Quarkus app. */
final class ColdStart {
    private final Path root;
    private final Path work;
    private final int runs;
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    ColdStart(Path root, Path work, int runs) {
        this.root = root;
        this.work = work;
        this.runs = runs;
    }

    void run(Report report, FakeUpstream upstream) throws Exception {
        report.heading("Cold start", "JVM launch to the first successful answer, median of " + runs + " runs (p99 = slowest here). "
                + "A fake upstream on loopback answers LLM calls at once. RAG-ready rows answer a `rag-query` (model and the sample index "
                + "loaded). FC rows load the java11 code package in its own class loader, initializer then handler, as the runtime does "
                + "(on this machine's JDK 17; FC's java11 runtime is JDK 11).");
        Map<String, String> env = new HashMap<>();
        env.put("JINGNEI_LLM_BASE_URL", upstream.baseUrl());
        env.put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
        Path fc = root.resolve("functions/fc/target/jingnei-fc");
        Path web = root.resolve("functions/app/target/jingnei-web");
        Path hello = root.resolve("bench/baseline-hello/target/quarkus-app");
        Path events = root.resolve("../shared/events");
        String sim = root.resolve("bench/target/classes").toString();
        String chatBody = "{\"query\":\"你好\"}";
        String ragBody = "{\"query\":\"退货要多久能到账？\"}";
        warmSampleIndex(env, web);

        List<List<String>> rows = new ArrayList<>();
        rows.add(row("Minimal Quarkus funqy-http hello (baseline)", measureHttp(hello, Map.of(), "/hello", "\"x\"", false,
                java, "-jar", "quarkus-run.jar")));
        rows.add(row("FC java11 chat handler", measureExit(env, java, "-cp", sim, "io.jingnei.bench.FcRuntimeSim", fc.toString(),
                "io.jingnei.fc.ChatHandler", events.resolve("fc3-http-trigger-base64.json").toString())));
        rows.add(row("FC java11 rag-query handler (RAG-ready)", measureExit(env, java, "-cp", sim, "io.jingnei.bench.FcRuntimeSim", fc.toString(),
                "io.jingnei.fc.RagQueryHandler", events.resolve("fc3-http-trigger.json").toString())));
        rows.add(row("Quarkus app, plain `java -jar`", measureHttp(web, env, "/chat", chatBody, false, java, "-jar", "quarkus-run.jar")));
        rows.add(row("Quarkus app, `bootstrap` (AppCDS + TieredStopAtLevel=1)", measureHttp(web, withJavaHome(env), "/chat", chatBody, true,
                "bash", "bootstrap")));
        rows.add(row("Quarkus app, plain, RAG-ready", measureHttp(web, env, "/rag-query", ragBody, false, java, "-jar", "quarkus-run.jar")));
        rows.add(row("Quarkus app, `bootstrap`, RAG-ready", measureHttp(web, withJavaHome(env), "/rag-query", ragBody, true, "bash", "bootstrap")));
        report.table(List.of("what starts", "median ms", "p99 ms", "runs"), rows);
    }

    private Map<String, String> withJavaHome(Map<String, String> env) {
        Map<String, String> out = new HashMap<>(env);
        out.put("JAVA_HOME", System.getProperty("java.home"));
        return out;
    }

    /** The sample index is built on an instance's first start and kept under /tmp; build it once before timing. */
    private void warmSampleIndex(Map<String, String> env, Path web) throws Exception {
        measureHttp(web, env, "/rag-query", "{\"query\":\"退货\"}", false, 1, java, "-jar", "quarkus-run.jar");
    }

    private static List<String> row(String what, List<Double> times) {
        return List.of(what, Stats.ms(Stats.median(times)), Stats.ms(Stats.p99(times)), String.valueOf(times.size()));
    }

    private List<Double> measureExit(Map<String, String> env, String... command) throws Exception {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Path log = work.resolve("coldstart.log");
            long start = System.nanoTime();
            Process process = Processes.start(root, env, log, command);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                Processes.stop(process);
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            double ms = (System.nanoTime() - start) / 1e6;
            String out = Files.readString(log);
            if (!out.contains("ANSWERED") || !out.contains("\"statusCode\":200")) {
                throw new IllegalStateException("no successful answer from " + String.join(" ", command) + ":\n" + out);
            }
            times.add(ms);
        }
        return times;
    }

    private List<Double> measureHttp(Path dir, Map<String, String> env, String path, String body, boolean fcPort, String... command) throws Exception {
        return measureHttp(dir, env, path, body, fcPort, runs, command);
    }

    private List<Double> measureHttp(Path dir, Map<String, String> env, String path, String body, boolean fcPort, int times, String... command)
            throws Exception {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            int port = Processes.freePort();
            Map<String, String> withPort = new HashMap<>(env);
            withPort.put(fcPort ? "FC_CUSTOM_LISTEN_PORT" : "QUARKUS_HTTP_PORT", String.valueOf(port));
            long start = System.nanoTime();
            Process process = Processes.start(dir, withPort, work.resolve("coldstart.log"), command);
            try {
                out.add(Processes.untilAnswered(start, process, "http://127.0.0.1:" + port + path, body,
                        r -> r.statusCode() == 200 && !r.body().contains("\"status\":\"index_unavailable\"")));
            } finally {
                Processes.stop(process);
            }
        }
        return out;
    }
}
