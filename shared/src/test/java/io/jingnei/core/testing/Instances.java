package io.jingnei.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.config.Env;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.util.TimeSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Instances over a fake upstream for tests of whole call paths, with every log line captured. */
public final class Instances {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Instances() {
    }

    /** Chat only (no RAG), the answer cache off; {@code settings} are name, value pairs that add or override. */
    public static JingneiInstance boot(FakeUpstream upstream, List<String> log, String... settings) {
        Map<String, String> env = new HashMap<>(Map.of("JINGNEI_LLM_BASE_URL", upstream.baseUrl(),
                "JINGNEI_LLM_API_KEY", FakeUpstream.KEY, "JINGNEI_RAG_ENABLED", "false", "JINGNEI_CACHE", "off"));
        for (int i = 0; i < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        return JingneiInstance.boot(Env.of(env), TimeSource.system(), new CallLog(log::add), Optional::empty);
    }

    /**
     * RAG on the bundled sample knowledge base, embedded by the fake upstream's deterministic
     * vectors instead of the real model (fast enough for a unit test), with the threshold at -1 and
     * no confidence bar so every question finds context and goes to the LLM.
     */
    public static JingneiInstance bootWithRag(FakeUpstream upstream, List<String> log, String... settings) {
        String[] rag = {"JINGNEI_RAG_ENABLED", "true", "JINGNEI_EMBEDDER", "remote", "JINGNEI_EMBEDDING_MODEL", "fake-embedding-8d",
                "JINGNEI_RAG_THRESHOLD", "-1", "JINGNEI_RAG_MIN_CONFIDENCE", "0"};
        String[] all = new String[settings.length + rag.length];
        System.arraycopy(rag, 0, all, 0, rag.length);
        System.arraycopy(settings, 0, all, rag.length, settings.length);
        return boot(upstream, log, all);
    }

    /** The first call log line of one request, parsed; fails when there is none. */
    public static JsonNode logLine(List<String> log, String requestId) {
        for (String line : log) {
            if (line.contains("\"request_id\":\"" + requestId + "\"")) {
                try {
                    return JSON.readTree(line);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new AssertionError("no log line for request " + requestId + " in " + log);
    }
}
