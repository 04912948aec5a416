package io.jingnei.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.config.Env;
import io.jingnei.core.entry.FunctionCalls;
import io.jingnei.core.llm.ChatMessage;
import io.jingnei.core.llm.TokenEstimate;
import io.jingnei.core.pricing.PriceTable;
import io.jingnei.core.pricing.Usage;
import io.jingnei.core.rag.EvalQuestion;
import io.jingnei.core.rag.RagRequest;
import io.jingnei.core.rag.RagResult;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Instances;
import io.jingnei.core.testing.RecordedRequest;
import io.jingnei.core.testing.Reply;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code JINGNEI_RAG_REWRITE=llm}: what the rewrite adds to a follow-up's rag-query beyond the
 * upstream's own time, and what it costs. Two instances on the sample knowledge base (local model),
 * rewrite off and on, take the conversation dev set's follow-ups in turn; a fake upstream on
 * loopback answers the rewrite after a fixed delay (the hand-written rewrite) and the answer at once.
 * Tokens per rewrite are the gateway's estimate over the requests the upstream received.
 */
final class RewriteBench {
    static final long UPSTREAM_MS = 100;
    static final String NET_NOTE = "Below zero when the rewrite call's own cost is smaller than what it saves: searched alone, the rewrite is "
            + "one text to embed, where the search without it embeds the question and the earlier turn.";
    private static final Caller CALLER = Caller.user(Caller.Via.CLIENT_KEY, "bench");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final int rounds;

    RewriteBench(Path root, int rounds) {
        this.root = root;
        this.rounds = rounds;
    }

    void run(Report report) throws Exception {
        Path dev = root.resolve("shared/src/test/resources/conversation-dev");
        List<EvalQuestion> conversations = EvalQuestion.parse(Files.readString(dev.resolve("conversations.jsonl"), StandardCharsets.UTF_8),
                false, "conversations.jsonl");
        Map<String, String> rewrites = new HashMap<>();
        for (String line : Files.readAllLines(dev.resolve("rewrites.jsonl"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonNode node = JSON.readTree(line);
                rewrites.put(node.path("earlier").asText() + "\n" + node.path("question").asText(), node.path("rewrite").asText());
            }
        }
        List<EvalQuestion> asked = new ArrayList<>();
        conversations.stream().filter(q -> rewrites.containsKey(key(q))).forEach(asked::add);

        List<Double> off = new ArrayList<>();
        List<Double> on = new ArrayList<>();
        List<Double> rewriteMs = new ArrayList<>();
        long promptTokens = 0;
        long completionTokens = 0;
        try (FakeUpstream upstream = FakeUpstream.start()) {
            List<String> offLog = new CopyOnWriteArrayList<>();
            List<String> onLog = new CopyOnWriteArrayList<>();
            String[] rag = {"JINGNEI_RAG_ENABLED", "true", "JINGNEI_RAG_THRESHOLD", "-1", "JINGNEI_RAG_MIN_CONFIDENCE", "0"};
            // One after the other: the first indexes the sample knowledge base, the second reuses its file.
            try (JingneiInstance plain = ready(Instances.boot(upstream, offLog, rag));
                 JingneiInstance rewriting = ready(Instances.boot(upstream, onLog, with(rag, "JINGNEI_RAG_REWRITE", "llm")))) {
                FunctionCalls offCalls = new FunctionCalls(plain);
                FunctionCalls onCalls = new FunctionCalls(rewriting);
                for (int round = -1; round < rounds; round++) { // round -1 warms both up
                    for (int i = 0; i < asked.size(); i++) {
                        EvalQuestion q = asked.get(i);
                        RagRequest request = new RagRequest(q.question, null, null, null, null, null, q.history);
                        upstream.enqueue(Reply.completion("好的。", 300, 20));
                        double plainMs = timed(offCalls, request, "off-" + round + "-" + i);
                        upstream.reset();
                        upstream.enqueue(Reply.completion(rewrites.get(key(q)), 100, 15).after(UPSTREAM_MS), Reply.completion("好的。", 300, 20));
                        String id = "on-" + round + "-" + i;
                        double rewritingMs = timed(onCalls, request, id);
                        List<RecordedRequest> sent = upstream.completionRequests();
                        if (round >= 0) {
                            off.add(plainMs);
                            on.add(rewritingMs);
                            rewriteMs.add(rewriteLine(onLog, id));
                        }
                        if (round == 0) {
                            promptTokens += TokenEstimate.promptOf(sent.get(0).json());
                            completionTokens += TokenEstimate.ofGenerated(rewrites.get(key(q)).length());
                        }
                        upstream.reset();
                    }
                }
            }
        }
        int n = asked.size();
        double prompt = promptTokens / (double) n;
        double completion = completionTokens / (double) n;
        PriceTable prices = PriceTable.from(Env.of(Map.of()));
        report.heading("Follow-up rewrite by the LLM", "JINGNEI_RAG_REWRITE=llm against off, on the conversation dev set's " + n
                + " follow-ups (" + rounds + " rounds, one warm-up): two instances on the sample knowledge base with the local model, one "
                + "fake upstream on loopback answering the rewrite after " + UPSTREAM_MS + " ms and the answer at once. \"added beyond the "
                + "upstream\": the rewrite instance's rag-query minus the plain one's minus the " + UPSTREAM_MS + " ms; \"rewrite call\": "
                + "the log line's rewrite_ms minus the " + UPSTREAM_MS + " ms (masking, routing, the HTTP exchange). A rewrite that fails "
                + "costs at most JINGNEI_RAG_REWRITE_TIMEOUT (2 s) and then searches as with it off.");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("rag-query, rewrite off", Stats.ms(Stats.median(off)), Stats.ms(Stats.percentile(off, 90)), "-"));
        rows.add(List.of("rag-query, rewrite on", Stats.ms(Stats.median(on)), Stats.ms(Stats.percentile(on, 90)),
                Stats.ms(Stats.median(on) - Stats.median(off) - UPSTREAM_MS) + " (p90 "
                        + Stats.ms(Stats.percentile(on, 90) - Stats.percentile(off, 90) - UPSTREAM_MS) + ")"));
        rows.add(List.of("rewrite call alone", Stats.ms(Stats.median(rewriteMs)), Stats.ms(Stats.percentile(rewriteMs, 90)),
                Stats.ms(Stats.median(rewriteMs) - UPSTREAM_MS)));
        report.table(List.of("path", "p50 ms", "p90 ms", "added beyond the upstream (p50)"), rows);
        report.paragraph(NET_NOTE);
        List<List<String>> costs = new ArrayList<>();
        for (String model : List.of("deepseek-v3.2", "gemini-2.5-flash")) {
            BigDecimal usd = prices.cost(model, new Usage(Math.round(prompt * 1000), Math.round(completion * 1000), 0)).usd;
            costs.add(List.of(model, String.format(Locale.ROOT, "%.0f", prompt), String.format(Locale.ROOT, "%.0f", completion),
                    "$" + usd.setScale(4, java.math.RoundingMode.HALF_UP).toPlainString()));
        }
        report.paragraph("Tokens per rewrite: the gateway's estimate (TokenEstimate, one token per character) of the rewrite requests the "
                + "upstream received and of the hand-written rewrites (conversation-dev/rewrites.jsonl); providers' own tokenizers may count "
                + "Chinese differently. Cost per 1,000 follow-ups at the price table's list prices (JINGNEI_PRICES defaults).");
        report.table(List.of("model", "prompt tokens per rewrite", "completion tokens per rewrite", "cost per 1,000 follow-ups"), costs);
    }

    private static JingneiInstance ready(JingneiInstance instance) throws Exception {
        instance.rag().get(120, TimeUnit.SECONDS);
        return instance;
    }

    private static double timed(FunctionCalls calls, RagRequest request, String id) throws Exception {
        long start = System.nanoTime();
        RagResult result = (RagResult) calls.ragQuery(CALLER, request, id).get(30, TimeUnit.SECONDS).body;
        double ms = (System.nanoTime() - start) / 1e6;
        if (!"success".equals(result.status)) {
            throw new IllegalStateException("rag-query " + id + " ended " + result.status);
        }
        return ms;
    }

    private static double rewriteLine(List<String> log, String id) throws Exception {
        for (String line : log) {
            JsonNode node = JSON.readTree(line);
            if (id.equals(node.path("request_id").asText()) && "rag-query".equals(node.path("function").asText())) {
                if (!"used".equals(node.path("rewrite").asText())) {
                    throw new IllegalStateException("rewrite not used for " + id + ": " + line);
                }
                return node.path("rewrite_ms").asDouble();
            }
        }
        throw new IllegalStateException("no rag-query line for " + id);
    }

    private static String key(EvalQuestion q) {
        for (int i = q.history.size() - 1; i >= 0; i--) {
            ChatMessage turn = q.history.get(i);
            if ("user".equals(turn.role)) {
                return turn.content + "\n" + q.question;
            }
        }
        return "\n" + q.question;
    }

    private static String[] with(String[] settings, String... more) {
        String[] all = java.util.Arrays.copyOf(settings, settings.length + more.length);
        System.arraycopy(more, 0, all, settings.length, more.length);
        return all;
    }
}
