package io.jingnei.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The setting of the RAG recovery checks of the built-in runtimes: a small knowledge base in a temp
 * folder and an index URI beside it that does not exist yet, which an admin later builds with the
 * package's own index-build CLI, as docs/rag.md tells them to.
 */
public final class MissingIndex {
    public static final String CLIENT_KEY = HandlerBackends.CLIENT_KEY;
    private static final ObjectMapper JSON = new ObjectMapper();
    public final Path dir;
    public final Path kb;
    public final Path index;

    private MissingIndex(Path dir) throws IOException {
        this.dir = dir;
        this.kb = Files.writeString(dir.resolve("kb.jsonl"), "{\"id\":\"card\",\"content\":\"会员年卡88元，全年包邮。\"}\n"
                + "{\"id\":\"points\",\"content\":\"积分一年有效，到期自动清零。\"}\n");
        this.index = dir.resolve("index/kb.jnix");
    }

    public static MissingIndex create() throws IOException {
        return new MissingIndex(Files.createTempDirectory("jingnei-missing-index-").toRealPath());
    }

    /** An instance's settings: the fake upstream, a client key, the knowledge-base folder allowed, the (missing) index. */
    public Map<String, String> env(FakeUpstream upstream) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JINGNEI_LLM_BASE_URL", upstream.baseUrl());
        env.put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
        env.put("JINGNEI_CACHE", "off");
        env.put("JINGNEI_CLIENT_KEYS", CLIENT_KEY + ":recovery-check");
        env.put("JINGNEI_STORAGE_ALLOW", dir.toUri().toString());
        env.put("JINGNEI_INDEX_URI", index.toUri().toString());
        return env;
    }

    /** Builds the index with the package's index-build CLI ({@code java -cp <package> IndexBuildCli}), in a JVM of its own. */
    public void build(CodePackage code) throws Exception {
        Path log = dir.resolve("index-build.log");
        String classPath = code.root + java.io.File.pathSeparator + code.root.resolve("lib") + java.io.File.separator + "*";
        Process build = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-cp", classPath, "io.jingnei.core.rag.IndexBuildCli", "--input", kb.toUri().toString(), "--output", index.toUri().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!build.waitFor(120, TimeUnit.SECONDS) || build.exitValue() != 0 || !Files.isRegularFile(index)) {
            build.destroyForcibly();
            throw new AssertionError("index-build failed:\n" + Files.readString(log));
        }
    }

    /** The JSON body of an HTTP reply ({@code statusCode}, {@code body} as text). */
    public static JsonNode body(JsonNode reply) throws IOException {
        return JSON.readTree(reply.path("body").asText());
    }

    /** The ids of an answer's sources. */
    public static List<String> sourceIds(JsonNode reply) throws IOException {
        return body(reply).path("sources").findValuesAsText("id");
    }
}
