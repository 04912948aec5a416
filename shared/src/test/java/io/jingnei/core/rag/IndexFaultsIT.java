package io.jingnei.core.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.config.Env;
import io.jingnei.core.http.SharedHttpClient;
import io.jingnei.core.index.Chunk;
import io.jingnei.core.index.IndexFormat;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.storage.CredentialsProvider;
import io.jingnei.core.storage.FileObjectStore;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.storage.ObjectStores;
import io.jingnei.core.storage.S3ObjectStore;
import io.jingnei.core.storage.S3Settings;
import io.jingnei.core.testing.FakeTime;
import io.jingnei.core.testing.FaultyProxy;
import io.jingnei.core.testing.FaultyProxy.Fault;
import io.jingnei.core.testing.S3ProxyServer;
import io.jingnei.core.util.TimeSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Object-storage faults while the index loads at start and while it reloads: the real S3 client,
 * SigV4 and S3Proxy, with {@link FaultyProxy} in between breaking the index GETs. Transient faults
 * within the retry budget are survived (the instance starts, or the new version is swapped in);
 * anything else leaves no index at start, or keeps the old one on reload. Either way one JSON log
 * line names the fault and the requests it took, and faults that are not transient (403, corrupt
 * or short objects) take exactly one request. The figures go to target/index-fault-figures.md.
 */
class IndexFaultsIT {
    private static final int MAX_RETRIES = 2;
    // Long enough that a loaded CI machine does not time out a clean request (which would change the counts).
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
    private static final String MODEL = "test-model";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static S3ProxyServer s3;
    private static FaultyProxy proxy;
    private static SharedHttpClient http;
    private static ObjectStore direct;
    private static ObjectStore throughProxy;
    private static ExecutorService worker;
    private static final List<String> figures = Collections.synchronizedList(new ArrayList<>());

    /** One row of the table: the faults planned for the index GETs, and what must come of them. */
    static final class Case {
        final String name;
        final List<Fault> faults;
        final boolean survives;
        final boolean transientFault;
        final int requests;
        final String named;

        Case(String name, List<Fault> faults, boolean survives, boolean transientFault, int requests, String named) {
            this.name = name;
            this.faults = faults;
            this.survives = survives;
            this.transientFault = transientFault;
            this.requests = requests;
            this.named = named;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        int storeTries = 1 + MAX_RETRIES;
        int transfers = IndexHolder.LOAD_ATTEMPTS;
        // More faults planned than any budget allows: a request past the budget would meet one too.
        int plenty = storeTries * transfers + 2;
        return List.of(
                new Case("503 twice, then the object", times(Fault.status(503, "SlowDown"), MAX_RETRIES), true, true, storeTries, "503"),
                new Case("503 on every request", times(Fault.status(503, "SlowDown"), plenty), false, true, storeTries, "503"),
                new Case("reset mid-body once", List.of(Fault.resetAfter(100_000)), true, true, 2, "broke"),
                new Case("reset mid-body on every transfer", times(Fault.resetAfter(100_000), plenty), false, true, transfers, "broke"),
                new Case("503, then a reset mid-body, then the object",
                        List.of(Fault.status(503, "SlowDown"), Fault.resetAfter(50_000)), true, true, 3, "503"),
                new Case("body stalls past the read timeout once", List.of(Fault.stallAfter(100_000, 3 * READ_TIMEOUT.toMillis())),
                        true, true, 2, "timed out"),
                new Case("403 once", List.of(Fault.status(403, "AccessDenied")), false, false, 1, "403"),
                new Case("one payload byte flipped once (CRC mismatch)", List.of(Fault.flipByte(300_000)), false, false, 1, "checksum"),
                new Case("object truncated once", List.of(Fault.truncateTo(400_000)), false, false, 1, "truncated"));
    }

    private static List<Fault> times(Fault fault, int n) {
        return Collections.nCopies(n, fault);
    }

    @BeforeAll
    static void start() {
        s3 = S3ProxyServer.start("jingnei-kb");
        proxy = FaultyProxy.inFrontOf(s3.endpoint());
        http = new SharedHttpClient(8, Duration.ofSeconds(2), Duration.ofSeconds(30));
        direct = storeAt(s3.endpoint());
        throughProxy = storeAt(proxy.endpoint());
        worker = Executors.newFixedThreadPool(2);
    }

    private static ObjectStore storeAt(String endpoint) {
        Map<String, String> env = new HashMap<>(s3.env());
        env.put("JINGNEI_S3_ENDPOINT", endpoint);
        env.put("JINGNEI_S3_READ_TIMEOUT", READ_TIMEOUT.toMillis() + "ms");
        env.put("JINGNEI_S3_MAX_RETRIES", String.valueOf(MAX_RETRIES));
        return new ObjectStores(new FileObjectStore(), new S3ObjectStore(http, S3Settings.from(Env.of(env)),
                CredentialsProvider.chain(Env.of(env), Optional::empty), TimeSource.system()));
    }

    @AfterAll
    static void stop() throws IOException {
        worker.shutdownNow();
        http.close();
        proxy.close();
        s3.close();
        StringBuilder table = new StringBuilder("| phase | fault | faults injected | GET requests | outcome | log line |\n| --- | --- | --- | --- | --- | --- |\n");
        synchronized (figures) {
            figures.forEach(row -> table.append(row).append('\n'));
        }
        System.out.println("Index fault figures (JINGNEI_S3_MAX_RETRIES=" + MAX_RETRIES + ", read timeout " + READ_TIMEOUT.toMillis()
                + " ms, " + IndexHolder.LOAD_ATTEMPTS + " transfers per load):\n" + table);
        Path out = Paths.get("target", "index-fault-figures.md");
        Files.createDirectories(out.getParent());
        Files.write(out, table.toString().getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void the_first_load_survives_transient_faults_and_names_every_fault(Case c) throws Exception {
        URI uri = URI.create("s3://jingnei-kb/load/" + slug(c.name) + ".jnix");
        byte[] v1 = index(2000, 1);
        direct.put(uri, v1, "application/octet-stream").get(10, TimeUnit.SECONDS);
        List<String> log = new CopyOnWriteArrayList<>();
        IndexHolder holder = holder(uri, new FakeTime(), log);
        proxy.plan("GET", path(uri), c.faults);

        holder.load().get(30, TimeUnit.SECONDS);

        List<JsonNode> lines = indexLines(log);
        JsonNode line = lines.isEmpty() ? JSON.createObjectNode() : lines.get(0);
        record("load", c, lines, outcome(holder));
        assertThat(lines).as("index log lines").hasSize(1);
        assertThat(proxy.matchedRequests()).as("GET requests").isEqualTo(c.requests);
        if (c.survives) {
            assertThat(holder.require().size()).isEqualTo(2000);
            assertThat(line.path("msg").asText()).isEqualTo("index loaded after transient faults");
            assertThat(line.path("faults").size()).isEqualTo(proxy.injected().size());
            assertThat(line.path("faults").toString()).contains(c.named);
        } else {
            assertThatThrownBy(holder::require).isInstanceOf(IndexUnavailableException.class).hasMessageContaining(c.named);
            assertThat(line.path("msg").asText()).isEqualTo("index load failed");
            assertThat(line.path("error").asText()).contains(c.named);
            assertThat(line.path("index").asText()).isEqualTo(uri.toString());
            assertThat(line.path("transient").asBoolean()).isEqualTo(c.transientFault);
        }
        assertThat(line.path("attempts").asInt()).as("attempts in the log line").isEqualTo(proxy.matchedRequests());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void a_reload_swaps_in_the_new_version_or_keeps_serving_the_old_one(Case c) throws Exception {
        URI uri = URI.create("s3://jingnei-kb/reload/" + slug(c.name) + ".jnix");
        direct.put(uri, index(2000, 1), "application/octet-stream").get(10, TimeUnit.SECONDS);
        List<String> log = new CopyOnWriteArrayList<>();
        FakeTime time = new FakeTime();
        IndexHolder holder = holder(uri, time, log);
        proxy.plan("GET", "/none", List.of());
        holder.load().get(30, TimeUnit.SECONDS);
        String v1 = holder.version();
        assertThat(holder.require().size()).isEqualTo(2000);
        direct.put(uri, index(2001, 2), "application/octet-stream").get(10, TimeUnit.SECONDS);
        log.clear();
        proxy.plan("GET", path(uri), c.faults);

        time.advance(Duration.ofMinutes(2));
        holder.refreshIfDue().get(30, TimeUnit.SECONDS);

        List<JsonNode> lines = indexLines(log);
        JsonNode line = lines.isEmpty() ? JSON.createObjectNode() : lines.get(0);
        record("reload", c, lines, holder.version().equals(v1) ? "kept serving the old version" : outcome(holder) + " (new version)");
        assertThat(lines).as("index log lines").hasSize(1);
        assertThat(proxy.matchedRequests()).as("GET requests").isEqualTo(c.requests);
        if (c.survives) {
            assertThat(holder.require().size()).isEqualTo(2001);
            assertThat(holder.version()).isNotEqualTo(v1);
            assertThat(line.path("msg").asText()).isEqualTo("index reloaded");
            assertThat(line.path("faults").toString()).contains(c.named);
        } else {
            assertThat(holder.require().size()).isEqualTo(2000);
            assertThat(holder.version()).isEqualTo(v1);
            assertThat(line.path("msg").asText()).isEqualTo("index reload failed; still serving version " + v1);
            assertThat(line.path("error").asText()).contains(c.named);
            assertThat(line.path("transient").asBoolean()).isEqualTo(c.transientFault);
        }
        assertThat(line.path("attempts").asInt()).as("attempts in the log line").isEqualTo(proxy.matchedRequests());
    }

    private static IndexHolder holder(URI uri, FakeTime time, List<String> log) {
        return new IndexHolder(throughProxy, uri, uri, MODEL, Duration.ofSeconds(60), time, worker, new CallLog(log::add));
    }

    /** The log lines about the index, each a JSON object. */
    private static List<JsonNode> indexLines(List<String> log) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String text : log) {
            JsonNode line = JSON.readTree(text);
            if (line.path("msg").asText().startsWith("index")) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static String outcome(IndexHolder holder) {
        try {
            return "serving, " + holder.require().size() + " chunks";
        } catch (IndexUnavailableException e) {
            return "no index (rag-query answers index_unavailable)";
        }
    }

    private static void record(String phase, Case c, List<JsonNode> lines, String outcome) {
        List<String> shown = new ArrayList<>();
        for (JsonNode line : lines) {
            com.fasterxml.jackson.databind.node.ObjectNode copy = line.deepCopy();
            copy.remove("ts");
            shown.add(copy.toString());
        }
        figures.add("| " + phase + " | " + c.name + " | " + proxy.injected().size() + " | " + proxy.matchedRequests() + " | "
                + outcome + " | " + (shown.isEmpty() ? "(none)" : "`" + String.join("` `", shown).replace("|", "\\|") + "`") + " |");
    }

    private static String path(URI uri) {
        return "/" + uri.getHost() + uri.getRawPath();
    }

    private static String slug(String name) {
        return name.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-$", "");
    }

    /** A valid index of {@code count} random 64-dimensional vectors (about 600 KB). */
    private static byte[] index(int count, long seed) {
        int dimension = 64;
        Random random = new Random(seed);
        float[] vectors = new float[count * dimension];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = (float) random.nextGaussian();
        }
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            chunks.add(new Chunk("doc-" + i, 0, "第" + i + "段：退货与换货政策。", "{}"));
        }
        return IndexFormat.write(vectors, dimension, chunks, MODEL, false);
    }
}
