package io.jingnei.core.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.llm.CallContext;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.log.CallRecord;
import io.jingnei.core.rag.RagRequest;
import io.jingnei.core.rag.RagResult;
import io.jingnei.core.rag.RagService;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.storage.ObjectStores;
import io.jingnei.core.storage.SigV4Signer;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code faq-batch}: answers a file of questions through the rag-query path and writes a file of
 * answers. Identical questions are answered once. Answers are kept in a cache object beside the
 * output, keyed by normalised question, model, index version and prompt version, and written as
 * they come in, so a re-run makes no new LLM calls and a crashed run resumes where it stopped.
 */
public final class FaqBatch {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore store;
    private final BatchLimits limits;
    private final CallLog log;
    private final String defaultModel;

    public FaqBatch(ObjectStore store, BatchLimits limits, CallLog log, String defaultModel) {
        this.store = store;
        this.limits = limits;
        this.log = log;
        this.defaultModel = defaultModel;
    }

    /** Resolves a relative input ("faq-batch/in/x.jsonl") against JINGNEI_FAQ_BASE_URI. */
    public URI resolve(String input) {
        if (input == null || input.isBlank()) {
            throw new BatchException("field 'input' (the questions' object URI) is required");
        }
        if (input.contains("://") || input.startsWith("file:") || input.startsWith("/")) {
            return ObjectStores.parse(input);
        }
        if (limits.baseUri.isEmpty()) {
            throw new BatchException("'" + input + "' is relative: set JINGNEI_FAQ_BASE_URI (e.g. oss://my-bucket/) or give a full URI");
        }
        return ObjectStores.parse(limits.baseUri.endsWith("/") ? limits.baseUri + input : limits.baseUri + "/" + input);
    }

    /** Whether an object-created event is for us: the key must lie under the input prefix (answers are not). */
    public boolean isInput(String key) {
        return key.replaceFirst("^/", "").startsWith(limits.inputPrefix);
    }

    /** Runs a whole batch; blocks. Failures of single questions are reported in their lines. */
    public BatchSummary run(FaqBatchRequest request, RagService rag, CallContext ctx, BoundedMapper mapper) {
        long start = System.nanoTime();
        URI input = resolve(request.input);
        URI output = OutputLocation.outputFor(input, request.output);
        OutputLocation.guard(input, output, limits.inputPrefix);
        List<Question> questions = new QuestionReader(store, limits).read(input);

        String version = cacheVersion(rag);
        AnswerCache cache = AnswerCache.open(store, URI.create(output + ".cache.jsonl"));
        Map<String, Question> unique = new LinkedHashMap<>();
        for (Question q : questions) {
            if (q.problem == null) {
                unique.putIfAbsent(key(q.text, version), q);
            }
        }
        List<Map.Entry<String, Question>> toAsk = new ArrayList<>();
        for (Map.Entry<String, Question> entry : unique.entrySet()) {
            if (!cache.contains(entry.getKey())) {
                toAsk.add(entry);
            }
        }
        AtomicInteger llmCalls = new AtomicInteger();
        Map<String, ObjectNode> fresh = new ConcurrentHashMap<>();
        try {
            mapper.map(toAsk, limits.concurrency, entry -> rag.query(
                    new RagRequest(entry.getValue().text, null, null, null, entry.getValue().userId, null),
                    new CallContext(ctx.requestId + "-" + entry.getValue().line, "faq-batch", entry.getValue().userId))
                    .thenApply(result -> {
                        ObjectNode answer = answerOf(result);
                        if ("generated".equals(result.mode)) {
                            llmCalls.incrementAndGet();
                        }
                        fresh.put(entry.getKey(), answer);
                        if (cacheable(result)) {
                            cache.put(entry.getKey(), answer);
                        }
                        return answer;
                    }));
        } catch (RuntimeException stopped) {
            try {
                cache.flush(); // keep what was answered before the failure, for the re-run
            } catch (BatchException alsoFailed) {
                stopped.addSuppressed(alsoFailed);
            }
            throw stopped;
        }
        cache.flush();

        StringBuilder lines = new StringBuilder();
        BatchSummary.Builder summary = new BatchSummary.Builder(input, output, questions.size(), unique.size());
        java.util.Set<String> billed = new java.util.HashSet<>();
        for (Question q : questions) {
            ObjectNode line = JSON.createObjectNode();
            line.put("id", q.id);
            if (q.problem != null) {
                line.putNull("question");
                line.put("status", "invalid_line");
                line.put("error", q.problem);
                summary.count("invalid_line");
            } else {
                String key = key(q.text, version);
                ObjectNode answer = fresh.containsKey(key) ? fresh.get(key) : cache.get(key);
                boolean firstTimeThisRun = fresh.containsKey(key) && billed.add(key);
                line.put("question", q.text);
                line.setAll(answer.deepCopy());
                line.put("reused", !firstTimeThisRun);
                summary.count(answer.path("status").asText());
                if (firstTimeThisRun) {
                    summary.bill(answer);
                }
            }
            lines.append(line.toString()).append('\n');
        }
        put(output, lines.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        BatchSummary result = summary.finish(llmCalls.get(), questions.size() - toAsk.size() - countProblems(questions),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        put(summaryUri(output), result.json().getBytes(StandardCharsets.UTF_8), "application/json");
        log.write(new CallRecord(ctx.requestId, "faq-batch", defaultModel, null, "success")
                .put("questions", questions.size()).put("llm_calls", llmCalls.get())
                .put("cost_usd", result.costUsd).put("latency_ms", result.durationMs).put("output", output.toString()));
        return result;
    }

    private static int countProblems(List<Question> questions) {
        int n = 0;
        for (Question q : questions) {
            n += q.problem == null ? 0 : 1;
        }
        return n;
    }

    static URI summaryUri(URI output) {
        String text = output.toString();
        return URI.create((text.endsWith(".jsonl") ? text.substring(0, text.length() - 6) : text) + ".summary.json");
    }

    /** Answers worth keeping: a failure (rate limit, timeout) must be asked again on the next run. */
    private static boolean cacheable(RagResult result) {
        return "success".equals(result.status) || "no_context".equals(result.status);
    }

    private static ObjectNode answerOf(RagResult result) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("answer", result.answer);
        answer.put("status", result.status);
        ArrayNode sources = answer.putArray("sources");
        if (result.sources != null) {
            for (RagResult.Source source : result.sources) {
                sources.addObject().put("id", source.id).put("chunk", source.chunk).put("similarity", source.similarity);
            }
        }
        answer.set("usage", JSON.valueToTree(result.usage));
        answer.set("cost", result.cost == null ? JSON.createObjectNode().put("usd", 0).put("cny", 0) : JSON.valueToTree(result.cost));
        if (result.error != null) {
            answer.put("error", result.error);
        }
        return answer;
    }

    private String cacheVersion(RagService rag) {
        return defaultModel + "|" + rag.index().version() + "|" + SigV4Signer.sha256Hex(RagService.DEFAULT_SYSTEM_PROMPT.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    }

    private static String key(String question, String version) {
        return SigV4Signer.sha256Hex((QuestionNormaliser.normalise(question) + "\n" + version).getBytes(StandardCharsets.UTF_8));
    }

    private void put(URI uri, byte[] bytes, String type) {
        try {
            store.put(uri, bytes, type).get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new BatchException("cannot write " + uri + ": " + e.getCause().getMessage());
        } catch (Exception e) {
            throw new BatchException("cannot write " + uri);
        }
    }

    static BigDecimal decimal(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? BigDecimal.ZERO : node.decimalValue();
    }
}
