package io.jingnei.core.rag;

import com.fasterxml.jackson.databind.JsonNode;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.config.Env;
import io.jingnei.core.llm.ChatMessage;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Instances;
import io.jingnei.core.testing.Reply;
import io.jingnei.core.text.JsonLines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upper bound of {@code JINGNEI_RAG_REWRITE=llm} on the conversation dev set: each follow-up's
 * hand-written standalone rewrite (conversation-dev/rewrites.jsonl, keyed by the earlier user turn
 * and the question; a conversation without one is skipped) comes back from a fake upstream through
 * the real {@link FollowUpRewrite} and {@code Completions}, and is searched (a) alone, as rag-query
 * searches it, and (b) as the question of {@link FollowUpSearch} with the conversation, the
 * alternative measured against it; beside the shipped search without an LLM on the same
 * conversations. The figures go to target/conversation-dev/rewrite-figures.txt (docs/rag.md).
 */
class ConversationRewriteIT {
    private static final List<String> FIGURES = new ArrayList<>();
    private static ConversationDevSet dev;
    private static EvalReport shipped;
    private static EvalReport rewriteAlone;
    private static EvalReport rewriteInContext;
    private static int skipped;
    private static int withRewrite;

    @BeforeAll
    static void evaluate() throws Exception {
        dev = new ConversationDevSet();
        Map<String, String> rewrites = rewrites();
        List<EvalQuestion> asked = new ArrayList<>();
        for (EvalQuestion q : dev.conversations) {
            if (rewrites.containsKey(key(q))) {
                asked.add(q);
            } else {
                skipped++;
            }
        }
        withRewrite = asked.size();
        List<String> got = throughTheRewriteCall(asked, rewrites);
        List<EvalQuestion> alone = new ArrayList<>();
        List<EvalQuestion> inContext = new ArrayList<>();
        for (int i = 0; i < asked.size(); i++) {
            EvalQuestion q = asked.get(i);
            alone.add(new EvalQuestion(got.get(i), q.expected, null, q.kind, List.of()));
            inContext.add(new EvalQuestion(got.get(i), q.expected, null, q.kind, q.history));
        }
        RagConfig config = ConversationDevSet.CONFIG;
        FollowUpSearch search = new FollowUpSearch(FollowUpSearch.Settings.DEFAULT);
        shipped = dev.eval(asked, search).report(config.fusion(), config.rejection(), config.topK, 0);
        RetrievalEval aloneEval = dev.eval(alone, search);
        rewriteAlone = aloneEval.report(config.fusion(), config.rejection(), config.topK, 0);
        rewriteInContext = dev.eval(inContext, search).report(config.fusion(), config.rejection(), config.topK, 0);
        FIGURES.add("conversations with a rewrite: " + asked.size() + ", skipped without one: " + skipped);
        FIGURES.add("| retrieval | hit@1 | hit@3 | " + String.join(" | ", shipped.byKind.keySet()) + " | answered | unanswerable rejected |");
        FIGURES.add(row("no LLM: alone + in context (shipped)", shipped));
        FIGURES.add(row("perfect rewrite, searched alone (shipped with llm)", rewriteAlone));
        FIGURES.add(row("perfect rewrite + conversation (FollowUpSearch)", rewriteInContext));
        FIGURES.add("perfect rewrites searched alone whose right article is not first (rewrite -> expected: top 3):");
        for (RetrievalEval.Outcome o : aloneEval.run(config.fusion(), config.topK)) {
            if (o.question.inScope() && o.rank() != 1) {
                FIGURES.add("  " + o.question.question + " (" + o.question.kind + ") -> " + o.question.expected + ": "
                        + o.ranked.subList(0, Math.min(3, o.ranked.size())));
            }
        }
        Path out = Files.createDirectories(Paths.get("target/conversation-dev")).resolve("rewrite-figures.txt");
        Files.write(out, FIGURES, StandardCharsets.UTF_8);
        FIGURES.forEach(System.out::println);
    }

    @AfterAll
    static void close() {
        dev.close();
    }

    /** Each conversation's rewrite as the fake upstream returns it, through the real rewrite call. */
    private static List<String> throughTheRewriteCall(List<EvalQuestion> asked, Map<String, String> rewrites) throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        List<String> got = new ArrayList<>();
        try (FakeUpstream upstream = FakeUpstream.start(); JingneiInstance instance = Instances.boot(upstream, log)) {
            FollowUpRewrite rewrite = new FollowUpRewrite(instance.completions(),
                    RagConfig.from(Env.of(Map.of("JINGNEI_RAG_REWRITE", "llm", "JINGNEI_RAG_REWRITE_TIMEOUT", "10s"))), true, 3,
                    new CallLog(log::add), io.jingnei.core.util.TimeSource.system());
            for (EvalQuestion q : asked) {
                upstream.enqueue(Reply.completion(rewrites.get(key(q)), 100, 15));
                RagRequest request = new RagRequest(q.question, null, null, null, null, null, q.history);
                FollowUpRewrite.Outcome outcome = rewrite.rewrite(request, earlierUserTurn(q), "deepseek-v3.2",
                        new CallContext(null, "rag-query", Caller.anonymous())).get(20, TimeUnit.SECONDS);
                assertThat(outcome.status).as(q.question).isEqualTo("used");
                got.add(outcome.question);
            }
        }
        return got;
    }

    private static Map<String, String> rewrites() throws Exception {
        Path file = Paths.get(ConversationRewriteIT.class.getResource("/conversation-dev/rewrites.jsonl").toURI());
        Map<String, String> byKey = new HashMap<>();
        for (JsonLines.Line line : JsonLines.parse(Files.readString(file, StandardCharsets.UTF_8))) {
            JsonNode node = line.node;
            byKey.put(node.path("earlier").asText() + "\n" + node.path("question").asText(), node.path("rewrite").asText());
        }
        return byKey;
    }

    private static String earlierUserTurn(EvalQuestion q) {
        for (int i = q.history.size() - 1; i >= 0; i--) {
            ChatMessage turn = q.history.get(i);
            if ("user".equals(turn.role)) {
                return turn.content;
            }
        }
        return "";
    }

    private static String key(EvalQuestion q) {
        return earlierUserTurn(q) + "\n" + q.question;
    }

    private static String row(String name, EvalReport r) {
        StringBuilder row = new StringBuilder("| " + name + " | " + two(r.hit1) + " | " + two(r.hit3) + " |");
        r.byKind.values().forEach(k -> row.append(' ').append(two(k.hit1)).append(" |"));
        return row.append(' ').append(two(r.answeredAtDefault)).append(" | ").append(two(r.outOfScopeRejected)).append(" |").toString();
    }

    private static String two(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    @Test
    void the_rewrites_cover_the_conversations_they_were_written_for() {
        // conversations added later without a rewrite are skipped (and counted in the figures), not failed
        assertThat(withRewrite).isGreaterThanOrEqualTo(120);
    }

    @Test
    void a_perfect_rewrite_searched_alone_finds_more_than_the_search_without_an_llm() {
        // measured hit@1 0.92 against 0.80, hit@3 0.99 against 0.97, answered 0.98 against 0.90 (docs/rag.md)
        assertThat(rewriteAlone.hit1).isGreaterThan(shipped.hit1);
        assertThat(rewriteAlone.hit3).isGreaterThanOrEqualTo(shipped.hit3 - 0.02);
        assertThat(rewriteAlone.answeredAtDefault).isGreaterThanOrEqualTo(shipped.answeredAtDefault);
        // measured 0.20 against 0.35 (docs/rag.md): judged as single questions, rewrites of unanswerable follow-ups pass more often
        assertThat(rewriteAlone.outOfScopeRejected).isGreaterThanOrEqualTo(0.15);
    }

    @Test
    void searching_the_rewrite_alone_is_the_better_of_the_two_ways() {
        assertThat(rewriteAlone.hit1).isGreaterThanOrEqualTo(rewriteInContext.hit1);
    }
}
