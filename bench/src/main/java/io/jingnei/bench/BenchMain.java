package io.jingnei.bench;

import io.jingnei.core.testing.FakeUpstream;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs every benchmark and writes bench/RESULTS.md. {@code --quick}: fewer runs and smaller sizes, for a smoke run. */
public final class BenchMain {
    static final String BENCH_KEY = "ck-bench-0000000001";
    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        // --only=coldstart,gateway,faults,streams,search,indexload,routing,pii,limits,cache,retrieval,rewrite,faqbatch runs a subset (all by
        // default) and replaces only those sections of bench/RESULTS.md.
        String only = List.of(args).stream().filter(a -> a.startsWith("--only=")).map(a -> a.substring(7)).findFirst().orElse("");
        java.util.function.Predicate<String> wanted = name -> only.isEmpty() || List.of(only.split(",")).contains(name);
        Path root = Path.of(System.getProperty("jingnei.root", ".")).toAbsolutePath().normalize();
        Path work = Files.createDirectories(root.resolve("bench/target/work"));
        // A partial run writes its own file and then replaces only its sections in RESULTS.md.
        Path results = root.resolve("bench/RESULTS.md");
        Path partial = work.resolve("RESULTS-partial.md");
        Report report = new Report(only.isEmpty() ? results : partial);
        report.raw("# Jingnei benchmark results\n\n" + machine(root, quick) + "\n"
                + "Rerun with `bench/run.sh` (`bench/run.sh --quick` for a smoke run). Numbers are from one run on this machine; "
                + "compare rows within a table, not across machines.\n");
        report.targetsHere();
        Pinning.available(); // reads the core count before anything is pinned

        try (FakeUpstream upstream = FakeUpstream.start()) {
            if (wanted.test("coldstart")) {
                new ColdStart(root, work, quick ? 3 : 5, quick ? 5 : 11).run(report, upstream);
            }
            if (wanted.test("gateway")) {
                try (UpstreamProcess own = UpstreamProcess.start(work.resolve("gateway-upstream.log"))) {
                    gatewayBenchmarks(root, work, own, report, quick);
                }
            }
        }
        if (wanted.test("faults")) {
            faultFigures(root, report);
        }
        if (wanted.test("streams")) {
            new StreamLoadBench(root, work, 1000, 200, quick ? 1 : 5).run(report);
        }
        if (wanted.test("search")) {
            new SearchBench(root, quick ? new int[] {5_000, 100_000} : new int[] {5_000, 100_000, 1_000_000}, quick ? 20 : 100).run(report);
        }
        if (wanted.test("indexload")) {
            new IndexLoadBench(quick ? 20_000 : 100_000, quick ? 2 : 5).run(report);
        }
        if (wanted.test("rebuild")) {
            new IndexRebuildBench(1000).run(report, work);
        }
        if (wanted.test("routing")) {
            new RoutingBench(quick ? 300 : 2000, quick ? 2 : 4).run(report);
        }
        if (wanted.test("pii")) {
            new PiiBench(quick ? 500 : 5000, quick ? 2 : 4).run(report);
        }
        if (wanted.test("limits")) {
            new LimitsAndCacheLatencyBench(quick ? 300 : 2000, quick ? 2 : 4).run(report);
        }
        if (wanted.test("cache")) {
            new AnswerCacheBench(root.resolve("../shared/data/zh-question-matching"), quick ? 1000 : Integer.MAX_VALUE).run(report);
        }
        if (wanted.test("retrieval")) {
            Path data = root.resolve("../shared/data/zh-question-matching");
            new RetrievalQualityBench(data, quick ? 500 : Integer.MAX_VALUE).run(report);
            new HybridRetrievalBench(root, data, quick ? 500 : Integer.MAX_VALUE, quick ? 20_000 : 100_000).run(report);
            new RetrievalDevBench(root).run(report);
        }
        if (wanted.test("rewrite")) {
            new RewriteBench(root, quick ? 1 : 3).run(report);
        }
        if (wanted.test("faqbatch")) {
            new FaqBatchModeBench(quick ? 1_000 : 10_000).run(report);
        }
        if (!only.isEmpty()) {
            Report.splice(partial, results);
        }
        System.out.println("wrote " + root.resolve("bench/RESULTS.md"));
        System.exit(0);
    }

    /** Overhead and streaming through each gateway, then the cost model on what they measured. */
    private static void gatewayBenchmarks(Path root, Path work, UpstreamProcess upstream, Report report, boolean quick) throws Exception {
        upstream.whole();
        List<Gateway> gateways = gateways(root, work, upstream);
        OverheadBench overhead = new OverheadBench(quick ? 300 : 2000, quick ? 300 : 2000, quick ? 5 : 15, quick ? 10 : 40);
        // The load generator and the fake upstream share core 0; each gateway has core 1 to itself.
        Pinning.thisJvmOn(Pinning.LOAD_CORE);
        try {
            overhead.overhead(report, gateways);
            upstream.stream(50, 20);
            overhead.streaming(report, gateways, 20, 50);
        } finally {
            Pinning.thisJvmOn(Pinning.allCores());
            for (Gateway gateway : gateways) {
                if (gateway.process != null) {
                    Processes.stop(gateway.process);
                }
            }
        }
        new CostModel().run(report, overhead.jingneiAddedMs, overhead.jingneiRssMb);
    }

    private static List<Gateway> gateways(Path root, Path work, UpstreamProcess upstream) throws Exception {
        List<Gateway> gateways = new ArrayList<>();
        gateways.add(new Gateway("direct to upstream", upstream.baseUrl, Map.of("Authorization", "Bearer " + FakeUpstream.KEY), null));

        int port = Processes.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("JINGNEI_LLM_BASE_URL", upstream.baseUrl);
        env.put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
        env.put("JINGNEI_RAG_ENABLED", "false");
        env.put("FC_CUSTOM_LISTEN_PORT", String.valueOf(port));
        // FC_CUSTOM_LISTEN_PORT makes it FC, where callers need credentials: measured as deployed, with a client key.
        env.put("JINGNEI_CLIENT_KEYS", BENCH_KEY + ":bench");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("JINGNEI_JAVA_OPTS", "-Xmx512m");
        Path web = root.resolve("functions/app/target/jingnei-web");
        gateways.add(jingnei("through Jingnei /v1", web, env, work.resolve("jingnei-gateway.log")));
        // The same package with C2 as well (bootstrap runs C1 only for its cold start): what a long-lived instance would gain.
        Map<String, String> c2 = new HashMap<>(env);
        c2.put("FC_CUSTOM_LISTEN_PORT", String.valueOf(Processes.freePort()));
        c2.put("JINGNEI_JAVA_OPTS", "-Xmx512m -XX:TieredStopAtLevel=4");
        gateways.add(jingnei("through Jingnei /v1, C2 (`JINGNEI_JAVA_OPTS=-XX:TieredStopAtLevel=4`)", web, c2, work.resolve("jingnei-gateway-c2.log")));

        gateways.add(Portkey.start(root, work, upstream.baseUrl));
        return gateways;
    }

    /**
     * The fault figures IndexFaultsIT and FaqBatchKillIT measured (bench/run.sh runs them first): tests,
     * because each fault is scripted and asserted; the report shows what they counted.
     */
    private static void faultFigures(Path root, Report report) throws Exception {
        Path index = root.resolve("shared/target/index-fault-figures.md");
        Path kill = root.resolve("shared/target/faq-kill-figures.md");
        report.heading("Faults: object storage during index load and reload", "From `IndexFaultsIT` (run by `bench/run.sh` before the "
                + "benchmarks): the real S3 client through a fault-injecting proxy to S3Proxy, each fault on the index object's GETs, "
                + "3 tries per request and 3 transfers per load. Each row is asserted by the test: the outcome, one log line, and "
                + "attempts equal to the GETs the proxy counted.");
        report.raw(Files.exists(index) ? Files.readString(index) + "\n" : "_Not measured: run IndexFaultsIT first (bench/run.sh does)._\n\n");
        report.heading("Faults: faq-batch killed with SIGKILL mid-run", "From `FaqBatchKillIT`: faq-batch in its own JVM, killed "
                + "(SIGKILL) mid-run and started again on the same input; the bound is questions + one checkpoint interval + concurrency.");
        report.raw(Files.exists(kill) ? Files.readString(kill) + "\n" : "_Not measured: run FaqBatchKillIT first (bench/run.sh does)._\n\n");
    }

    private static Gateway jingnei(String name, Path web, Map<String, String> env, Path log) throws Exception {
        String port = env.get("FC_CUSTOM_LISTEN_PORT");
        long start = System.nanoTime();
        Process process = Processes.start(web, env, log, Pinning.onGatewayCore("bash", "bootstrap"));
        Processes.untilAnswered(start, process, "http://127.0.0.1:" + port + "/health", "", r -> r.statusCode() < 500);
        return new Gateway(name, "http://127.0.0.1:" + port + "/v1", Map.of("Authorization", "Bearer " + BENCH_KEY), process);
    }

    private static String machine(Path root, boolean quick) throws Exception {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.replaceFirst(".*:\\s*", "")).orElse("unknown CPU");
        long memKb = Long.parseLong(Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D+", ""));
        String commit = new String(new ProcessBuilder("git", "rev-parse", "--short", "HEAD").directory(root.toFile()).start()
                .getInputStream().readAllBytes()).trim();
        return "| | |\n| --- | --- |\n"
                + "| machine | " + Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + Math.round(memKb / 1024.0 / 1024.0) + " GiB |\n"
                + "| JDK | " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + " "
                + ManagementFactory.getRuntimeMXBean().getInputArguments() + " |\n"
                + "| date | " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + " |\n"
                + "| commit | " + commit + " |\n"
                + "| mode | " + (quick ? "quick (smoke run: fewer repetitions, smaller sizes)" : "full") + " |\n";
    }
}
