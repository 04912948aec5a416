package io.jingnei.bench;

import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.HandlerBackends;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Cold start, two ways. Warm JVM: FC's java11 runtime JVM is already up when a new instance loads
 * our code package, so what a new instance adds is package load + initializer + first answer, read
 * against a hello handler loaded the same way. Cold JVM: launch to the first successful answer, for
 * each way Jingnei runs, and a minimal Quarkus app.
 */
final class ColdStart {
    private static final String CLIENT_KEY = "ck-bench-coldstart-0001";
    /** By name: the class implements fc-java-core's interfaces, which are not on the benchmark's own class path. */
    private static final String HELLO = "io.jingnei.bench.fchello.HelloHandler";
    private static final Pattern TIMING = Pattern.compile(
            "TIMING load_ms=([\\d.]+) initialize_ms=([\\d.]+) first_answer_ms=([\\d.]+) total_ms=([\\d.]+) cpu_ms=([\\d.]+)");
    private final Path root;
    private final Path work;
    private final int runs;
    private final int warmRuns;
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** FC's java11 runtime starts its JVM with the serial collector (Alibaba's fc-docker image of the runtime, agent.sh). */
    private static final String FC_GC = "-XX:+UseSerialGC";
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    ColdStart(Path root, Path work, int runs, int warmRuns) {
        this.root = root;
        this.work = work;
        this.runs = runs;
        this.warmRuns = warmRuns;
    }

    void run(Report report, FakeUpstream upstream) throws Exception {
        Path fc = root.resolve("functions/fc/target/jingnei-fc");
        Path web = root.resolve("functions/app/target/jingnei-web");
        Path hello = root.resolve("bench/baseline-hello/target/quarkus-app");
        Path fcHello = helloPackage(fc);
        Path chatEvent = event("fc3-http-trigger-base64.json", "fc-chat-event.json");
        Path ragEvent = event("fc3-http-trigger.json", "fc-rag-event.json");
        String sim = root.resolve("bench/target/classes").toString();
        String warmWith = "--warm-with=" + fcHello + "," + HELLO + "," + chatEvent;
        Map<String, String> env = new HashMap<>();
        env.put("JINGNEI_LLM_BASE_URL", upstream.baseUrl());
        env.put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
        Map<String, String> fcChat = fcEnv(env, "jingnei-chat");
        fcChat.put("JINGNEI_RAG_ENABLED", "false"); // as s.yaml deploys jingnei-chat
        Map<String, String> fcRag = fcEnv(env, "jingnei-rag-query");
        String chatBody = "{\"query\":\"你好\"}";
        String ragBody = "{\"query\":\"退货要多久能到账？\"}";
        warmSampleIndex(env, web);

        report.heading("Cold start, FC java11 in a warm JVM", "FC's runtime JVM is already up when a new instance loads the code "
                + "package: each run is a fresh JVM that first loads and calls a hello handler in a class loader of its own (the runtime "
                + "at work), then times our package in a new class loader: load (loader, handler class), initializer, first answer. "
                + "Median of " + warmRuns + " runs; CPU = all threads of the JVM over the timed part (JIT compilers included), steadier "
                + "than wall time on a shared machine. A fake upstream on loopback (plain HTTP) answers at once. The chat function runs "
                + "as deployed: `JINGNEI_RAG_ENABLED=false`, FC's variables set (so a credential is required), a client key in "
                + "`JINGNEI_CLIENT_KEYS` and its `Authorization` header in the event. The JVM runs the serial collector, as FC's "
                + "java11 runtime starts it; JDK " + System.getProperty("java.version") + " here, JDK 11 on FC.");
        List<List<String>> warm = new ArrayList<>();
        String success = "\\\"status\\\":\\\"success\\\"";
        warm.add(warmRow("FC java11 hello handler (baseline)", measureWarm(Map.of(), List.of(), sim, warmWith, fcHello, HELLO,
                chatEvent, "hello")));
        List<double[]> chat = measureWarm(fcChat, List.of(), sim, warmWith, fc, "io.jingnei.fc.ChatHandler", chatEvent, success);
        warm.add(warmRow("FC java11 chat handler", chat));
        List<double[]> chatC1 = measureWarm(fcChat, List.of(C1_ONLY), sim, warmWith, fc, "io.jingnei.fc.ChatHandler", chatEvent, success);
        warm.add(warmRow("FC java11 chat handler, JVM with `" + C1_ONLY + "` (only if FC's runtime honoured JAVA_TOOL_OPTIONS: "
                + "unconfirmed)", chatC1));
        report.table(List.of("what a new instance runs", "median ms", "load ms", "initializer ms", "first answer ms", "CPU ms", "max ms", "runs"),
                warm);
        double initAndFirst = Stats.median(initializerAndFirstAnswer(chat));
        report.target("FC java11 chat handler: initializer + first answer, in a warm JVM",
                String.format("%.0f ms (CPU of all threads %.0f ms; with `%s` %.0f ms)", initAndFirst, median(chat, 4), C1_ONLY,
                        Stats.median(initializerAndFirstAnswer(chatC1))), "-", "≤ 300 ms", initAndFirst <= 300,
                "loading, verifying and initialising ~2,150 classes (Jackson databind ~615, HttpClient 5 ~400) on the initializer's "
                        + "thread, with the JIT compilers taking as much CPU again; only JVM flags (C1 only, AppCDS) cut that, and FC does "
                        + "not document whether its java11 runtime takes `JAVA_TOOL_OPTIONS` (the initializer logs whether it did); "
                        + "docs/benchmarks.md, performance notes");

        report.heading("Cold start, JVM launch", "JVM launch to the first successful answer, median of " + runs + " runs (p99 = slowest "
                + "here). A fake upstream on loopback answers LLM calls at once. RAG-ready rows answer a `rag-query` (model and the "
                + "sample index loaded). FC rows load the java11 code package in its own class loader, initializer then handler, as the "
                + "runtime does, with FC's variables and a client key set (on this machine's JDK; FC's java11 runtime is JDK 11).");
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("Minimal Quarkus funqy-http hello (baseline)", measureHttp(hello, Map.of(), "/hello", "\"x\"", false,
                java, "-jar", "quarkus-run.jar")));
        rows.add(row("FC java11 hello handler (baseline)", measureExit(Map.of(), "hello",
                java, FC_GC, "-cp", sim, FcRuntimeSim.class.getName(), fcHello.toString(), HELLO, chatEvent.toString())));
        rows.add(row("FC java11 chat handler", measureExit(fcChat, success,
                java, FC_GC, "-cp", sim, FcRuntimeSim.class.getName(), fc.toString(), "io.jingnei.fc.ChatHandler", chatEvent.toString())));
        rows.add(row("FC java11 rag-query handler (RAG-ready)", measureExit(fcRag, success,
                java, FC_GC, "-cp", sim, FcRuntimeSim.class.getName(), fc.toString(), "io.jingnei.fc.RagQueryHandler", ragEvent.toString())));
        rows.add(row("Quarkus app, plain `java -jar`", measureHttp(web, env, "/chat", chatBody, false, java, "-jar", "quarkus-run.jar")));
        rows.add(row("Quarkus app, `bootstrap` (AppCDS + TieredStopAtLevel=1)", measureHttp(web, withJavaHome(env), "/chat", chatBody, true,
                "bash", "bootstrap")));
        Map<String, String> c2 = withJavaHome(env);
        c2.put("JINGNEI_JAVA_OPTS", "-XX:TieredStopAtLevel=4");
        rows.add(row("Quarkus app, `bootstrap` with C2 (`JINGNEI_JAVA_OPTS=-XX:TieredStopAtLevel=4`)", measureHttp(web, c2, "/chat", chatBody,
                true, "bash", "bootstrap")));
        rows.add(row("Quarkus app, plain, RAG-ready", measureHttp(web, env, "/rag-query", ragBody, false, java, "-jar", "quarkus-run.jar")));
        rows.add(row("Quarkus app, `bootstrap`, RAG-ready", measureHttp(web, withJavaHome(env), "/rag-query", ragBody, true, "bash", "bootstrap")));
        report.table(List.of("what starts", "median ms", "p99 ms", "runs"), rows);
    }

    /** What FC sets in every instance (the core then requires a credential), plus the bench's client key. */
    private static Map<String, String> fcEnv(Map<String, String> base, String function) {
        Map<String, String> out = new HashMap<>(base);
        out.put("FC_FUNCTION_NAME", function);
        out.put("FC_REGION", "cn-hangzhou");
        out.put("JINGNEI_CLIENT_KEYS", CLIENT_KEY + ":bench-user");
        return out;
    }

    /** A sample HTTP-trigger event from the test resources, with the bench's client key as its Authorization header. */
    private Path event(String sample, String name) throws IOException {
        return Files.write(work.resolve(name), HandlerBackends.withAuthorization(sample, CLIENT_KEY));
    }

    /** The hello handler as a code package of its own: the class at the root, fc-java-core under lib/. */
    private Path helloPackage(Path fc) throws IOException {
        Path dir = work.resolve("fc-hello");
        String classFile = HELLO.replace('.', '/') + ".class";
        Path target = dir.resolve(classFile);
        Files.createDirectories(target.getParent());
        try (InputStream in = ColdStart.class.getClassLoader().getResourceAsStream(classFile)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        Path lib = Files.createDirectories(dir.resolve("lib"));
        try (Stream<Path> jars = Files.list(fc.resolve("lib"))) {
            Path core = jars.filter(j -> j.getFileName().toString().startsWith("fc-java-core-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no fc-java-core jar in " + fc.resolve("lib")));
            Files.copy(core, lib.resolve(core.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
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

    private static List<String> warmRow(String what, List<double[]> timings) {
        List<String> row = new ArrayList<>(List.of(what, Stats.ms(median(timings, 3))));
        for (int i = 0; i < 3; i++) {
            row.add(Stats.ms(median(timings, i)));
        }
        row.add(Stats.ms(median(timings, 4)));
        row.add(Stats.ms(Stats.p99(column(timings, 3))));
        row.add(String.valueOf(timings.size()));
        return row;
    }

    private static List<Double> initializerAndFirstAnswer(List<double[]> timings) {
        List<Double> out = new ArrayList<>();
        timings.forEach(t -> out.add(t[1] + t[2]));
        return out;
    }

    private static double median(List<double[]> timings, int column) {
        return Stats.median(column(timings, column));
    }

    private static List<Double> column(List<double[]> timings, int column) {
        List<Double> out = new ArrayList<>();
        timings.forEach(t -> out.add(t[column]));
        return out;
    }

    /** Each run a fresh JVM: load, initializer, first answer, total and CPU ms of the timed package, as FcRuntimeSim prints them. */
    private List<double[]> measureWarm(Map<String, String> env, List<String> jvmOptions, String sim, String warmWith, Path pkg,
                                       String handler, Path event, String expected) throws Exception {
        List<String> command = new ArrayList<>(List.of(java, FC_GC));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", sim, FcRuntimeSim.class.getName(), warmWith, pkg.toString(), handler, event.toString()));
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < warmRuns; i++) {
            String log = runToExit(env, expected, command.toArray(new String[0]));
            Matcher m = TIMING.matcher(log);
            if (!m.find()) {
                throw new IllegalStateException("no timing from " + handler + ":\n" + log);
            }
            out.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                    Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5))});
        }
        return out;
    }

    private List<Double> measureExit(Map<String, String> env, String expected, String... command) throws Exception {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            runToExit(env, expected, command);
            times.add((System.nanoTime() - start) / 1e6);
        }
        return times;
    }

    /** Runs a simulated FC invocation to its exit; its output must show a 200 whose body contains {@code expected}. */
    private String runToExit(Map<String, String> env, String expected, String... command) throws Exception {
        Path log = work.resolve("coldstart.log");
        Process process = Processes.start(root, env, log, command);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            Processes.stop(process);
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        String out = Files.readString(log);
        if (!out.contains("ANSWERED") || !out.contains("\"statusCode\":200") || !out.contains(expected)) {
            throw new IllegalStateException("no successful answer from " + String.join(" ", command) + ":\n" + out);
        }
        return out;
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
            Map<String, String> headers = Map.of();
            if (fcPort) {
                // FC_CUSTOM_LISTEN_PORT makes it FC, where callers need credentials: measured as deployed, with a client key.
                withPort.put("JINGNEI_CLIENT_KEYS", BenchMain.BENCH_KEY + ":bench");
                headers = Map.of("Authorization", "Bearer " + BenchMain.BENCH_KEY);
            }
            long start = System.nanoTime();
            Process process = Processes.start(dir, withPort, work.resolve("coldstart.log"), command);
            try {
                out.add(Processes.untilAnswered(start, process, "http://127.0.0.1:" + port + path, body, headers,
                        r -> r.statusCode() == 200 && !r.body().contains("\"status\":\"index_unavailable\"")));
            } finally {
                Processes.stop(process);
            }
        }
        return out;
    }
}
