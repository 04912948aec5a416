package io.jingnei.core.rag;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conversation dev set (conversation-dev/: 177 follow-ups of five kinds and 53 no article
 * answers, 50 of the 230 with three or four user turns, 40 terse ones, over the retrieval dev set's knowledge base) through the real model, hybrid search,
 * {@link FollowUpSearch} and the shipped rule, and blind-1 to blind-9 (other help centres, written blind): floors a little under what was measured when the
 * defaults were chosen (README, docs/rag.md), so a regression shows and noise does not.
 */
class ConversationDevSetIT {
    private static ConversationDevSet dev;
    private static EvalReport conversational;
    private static EvalReport lastQuestionAlone;
    /** The shipped search and rule on blind-1 to blind-9, in order. */
    private static final List<EvalReport> BLIND = new ArrayList<>();

    @BeforeAll
    static void evaluate() throws Exception {
        dev = new ConversationDevSet();
        conversational = shipped(dev, 10);
        RagConfig config = ConversationDevSet.CONFIG;
        RetrievalEval alone = new RetrievalEval(dev.index, dev.conversations, dev.embed(dev.conversations.stream().map(q -> q.question)
                .collect(java.util.stream.Collectors.toList())));
        lastQuestionAlone = alone.report(config.fusion(), config.rejection(), config.topK, 0);
        for (int n = 1; n <= 9; n++) {
            try (ConversationDevSet blind = ConversationDevSet.blind(n)) {
                BLIND.add(shipped(blind, 0));
            }
        }
    }

    private static EvalReport shipped(ConversationDevSet set, int worst) throws Exception {
        RagConfig config = ConversationDevSet.CONFIG;
        return set.eval(set.conversations, new FollowUpSearch(FollowUpSearch.Settings.DEFAULT)).report(config.fusion(), config.rejection(),
                config.topK, worst);
    }

    @AfterAll
    static void close() {
        dev.close();
    }

    @Test
    void follow_ups_find_their_article_with_the_conversation() {
        // measured hit@1 / hit@3 0.77 / 0.97 (docs/rag.md)
        assertThat(conversational.inScope).isEqualTo(177);
        assertThat(conversational.hit1).as("dev hit@1").isGreaterThanOrEqualTo(0.75);
        assertThat(conversational.hit3).as("dev hit@3").isGreaterThanOrEqualTo(0.95);
    }

    @ParameterizedTest(name = "blind-{0}")
    @CsvSource(delimiter = '|', value = {
            // set | hit@1 | hit@3 | unanswerable rejected | answered right: floors a little under what was measured (docs/rag.md):
            // hit@1 / hit@3 / rejected / answered 0.90 1.00 0.70 0.80, 0.79 0.99 0.50 0.84, 0.83 0.93 0.55 0.81, 0.80 0.95 0.25 0.83,
            // 0.68 0.94 0.35 0.78, 0.75 0.94 0.50 0.78, 0.79 0.94 0.45 0.74, 0.86 0.98 0.40 0.78, 0.84 1.00 0.55 0.83
            "1 | 0.86 | 0.97 | 0.60 | 0.75",
            "2 | 0.72 | 0.93 | 0.40 | 0.75",
            "3 | 0.78 | 0.90 | 0.45 | 0.76",
            "4 | 0.74 | 0.91 | 0.15 | 0.78",
            "5 | 0.63 | 0.91 | 0.25 | 0.73",
            "6 | 0.71 | 0.91 | 0.40 | 0.73",
            "7 | 0.75 | 0.91 | 0.35 | 0.69",
            "8 | 0.82 | 0.95 | 0.30 | 0.72",
            "9 | 0.80 | 0.96 | 0.45 | 0.77",
    })
    void another_help_centre_written_blind_is_served_as_measured(int set, double hit1, double hit3, double rejected, double answered) {
        EvalReport report = BLIND.get(set - 1);

        assertThat(report.inScope).isEqualTo(80);
        assertThat(report.outOfScope).isEqualTo(20);
        assertThat(report.hit1).as("hit@1").isGreaterThanOrEqualTo(hit1);
        assertThat(report.hit3).as("hit@3").isGreaterThanOrEqualTo(hit3);
        assertThat(report.outOfScopeRejected).as("unanswerable follow-ups rejected").isGreaterThanOrEqualTo(rejected);
        assertThat(report.answeredAtDefault).as("answered with a right article").isGreaterThanOrEqualTo(answered);
    }

    @Test
    void every_kind_of_follow_up_is_found_over_the_ten_sets() {
        // measured hit@1 over the 897 follow-ups: condition switch 0.75, detail 0.94, ellipsis 0.60, pronoun 0.81, topic shift 0.89
        java.util.Map<String, Double> floors = java.util.Map.of("condition_switch", 0.71, "detail", 0.90, "ellipsis", 0.56, "pronoun", 0.77,
                "topic_shift", 0.84);
        floors.forEach((kind, floor) -> {
            double found = 0;
            int lines = 0;
            List<EvalReport> all = new ArrayList<>(BLIND);
            all.add(conversational);
            for (EvalReport report : all) {
                EvalReport.Kind figures = report.byKind.get(kind);
                found += figures.hit1 * figures.lines;
                lines += figures.lines;
            }
            assertThat(found / lines).as(kind + " hit@1").isGreaterThanOrEqualTo(floor);
        });
    }

    @Test
    void a_topic_set_two_or_three_questions_back_is_found() throws Exception {
        List<EvalQuestion> longer = new ArrayList<>();
        dev.conversations.stream().filter(q -> q.history.stream().filter(t -> "user".equals(t.role)).count() >= 2).forEach(longer::add);
        RagConfig config = ConversationDevSet.CONFIG;
        FollowUpSearch.Settings shipped = FollowUpSearch.Settings.DEFAULT;
        EvalReport three = dev.eval(longer, new FollowUpSearch(shipped)).report(config.fusion(), config.rejection(), config.topK, 0);
        EvalReport one = dev.eval(longer, new FollowUpSearch(shipped.withUserTurns(1))).report(config.fusion(), config.rejection(), config.topK, 0);

        // measured on the 50 conversations with three or four user turns: hit@3 0.88 reading three earlier turns, 0.69 reading one
        assertThat(longer).hasSize(50);
        assertThat(three.hit3).as("hit@3").isGreaterThanOrEqualTo(0.85);
        assertThat(three.hit3).isGreaterThan(one.hit3 + 0.1);
        assertThat(three.hit1).isGreaterThan(one.hit1);
    }

    @Test
    void the_conversation_ranks_better_than_the_last_question_alone() {
        assertThat(conversational.hit1).isGreaterThan(lastQuestionAlone.hit1 + 0.1);
        assertThat(conversational.hit3).isGreaterThan(lastQuestionAlone.hit3);
        assertThat(conversational.byKind.get("topic_shift").hit1).as("topic shifts keep their own article")
                .isGreaterThanOrEqualTo(lastQuestionAlone.byKind.get("topic_shift").hit1 - 0.1);
    }

    @Test
    void follow_ups_leaning_on_the_conversation_are_rejected() {
        // measured 0.66 rejected and 0.83 answered right with FollowUpRule.DEFAULT (docs/rag.md)
        assertThat(conversational.outOfScope).isEqualTo(53);
        assertThat(conversational.outOfScopeRejected).as("unanswerable follow-ups rejected").isGreaterThanOrEqualTo(0.58);
        assertThat(conversational.answeredAtDefault).as("answered with a right article").isGreaterThanOrEqualTo(0.80);
    }
}
