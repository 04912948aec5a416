package io.jingnei.core.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.util.Json;
import io.jingnei.core.util.TimeSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes what a batch did: one output line per input line, in input order (the customer's own
 * question and the answer), then the summary beside it. Only answers generated in this run are
 * billed in the summary; the rest are marked {@code reused}.
 */
final class BatchReport {
    private static final ObjectMapper JSON = Json.mapper();

    private BatchReport() {
    }

    /** Blocks while the output and summary are written; storage failures keep their own kind. */
    static BatchSummary write(ObjectStore store, BatchPlan plan, BatchAsker asked, TimeSource time, long startNanos) {
        return write(store, plan, asked.fresh, asked.llmCalls.get(), asked.cacheHits.get(), time, startNanos, "realtime", null);
    }

    /**
     * {@code fresh}: answers got in this run, by question key (billed once); every other line's
     * answer is in the plan's answer cache. {@code batchIds}: the provider batches of a batch-mode run.
     */
    static BatchSummary write(ObjectStore store, BatchPlan plan, java.util.Map<String, ObjectNode> fresh, int llmCalls, int cacheHits,
                              TimeSource time, long startNanos, String mode, java.util.List<String> batchIds) {
        StringBuilder lines = new StringBuilder();
        BatchSummary.Builder summary = new BatchSummary.Builder(plan.input, plan.output, plan.questions.size(), plan.unique.size());
        Set<String> billed = new HashSet<>();
        for (Question q : plan.questions) {
            ObjectNode line = JSON.createObjectNode();
            line.put("id", q.id);
            if (q.problem != null) {
                line.putNull("question");
                line.put("status", "invalid_line");
                line.put("error", q.problem);
                summary.count("invalid_line");
            } else {
                String key = BatchPlan.key(q.text, plan.version);
                ObjectNode now = fresh.get(key);
                ObjectNode answer = now != null ? now : plan.cache.get(key);
                boolean firstTimeThisRun = now != null && billed.add(key);
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
        FaqBatch.join(store.put(plan.output, lines.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson"));
        BatchSummary result = summary.finish(llmCalls, cacheHits,
                plan.questions.size() - plan.toAsk.size() - plan.problems(), (time.nanoTime() - startNanos) / 1_000_000, mode, batchIds);
        FaqBatch.join(store.put(summaryUri(plan.output), result.json().getBytes(StandardCharsets.UTF_8), "application/json"));
        return result;
    }

    static URI summaryUri(URI output) {
        String text = output.toString();
        return URI.create((text.endsWith(".jsonl") ? text.substring(0, text.length() - 6) : text) + ".summary.json");
    }
}
