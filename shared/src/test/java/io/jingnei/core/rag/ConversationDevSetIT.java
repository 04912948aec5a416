package io.jingnei.core.rag;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conversation dev set (conversation-dev/: 177 follow-ups of five kinds and 53 no article
 * answers, 50 of the 230 with three or four user turns, 40 terse ones, over the retrieval dev set's knowledge base) through the real model, hybrid search,
 * {@link FollowUpSearch} and the shipped rule, and blind-1 to blind-7 (other help centres, written blind): floors a little under what was measured when the
 * defaults were chosen (README, docs/rag.md), so a regression shows and noise does not.
 */
class ConversationDevSetIT {
    private static ConversationDevSet dev;
    private static EvalReport conversational;
    private static EvalReport lastQuestionAlone;
    private static EvalReport blind1;
    private static EvalReport blind2;
    private static EvalReport blind3;
    private static EvalReport blind4;
    private static EvalReport blind5;
    private static EvalReport blind6;
    private static EvalReport blind7;

    @BeforeAll
    static void evaluate() throws Exception {
        dev = new ConversationDevSet();
        conversational = shipped(dev, 10);
        RagConfig config = ConversationDevSet.CONFIG;
        RetrievalEval alone = new RetrievalEval(dev.index, dev.conversations, dev.embed(dev.conversations.stream().map(q -> q.question)
                .collect(java.util.stream.Collectors.toList())));
        lastQuestionAlone = alone.report(config.fusion(), config.rejection(), config.topK, 0);
        try (ConversationDevSet one = ConversationDevSet.blind(1); ConversationDevSet two = ConversationDevSet.blind(2);
             ConversationDevSet three = ConversationDevSet.blind(3); ConversationDevSet four = ConversationDevSet.blind(4);
             ConversationDevSet five = ConversationDevSet.blind(5); ConversationDevSet six = ConversationDevSet.blind(6);
             ConversationDevSet seven = ConversationDevSet.blind(7)) {
            blind1 = shipped(one, 0);
            blind2 = shipped(two, 0);
            blind3 = shipped(three, 0);
            blind4 = shipped(four, 0);
            blind5 = shipped(five, 0);
            blind6 = shipped(six, 0);
            blind7 = shipped(seven, 0);
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
        // measured hit@1 / hit@3: dev 0.77 / 0.97, blind-1 0.89 / 1.00, blind-2 0.76 / 0.96, blind-3 0.83 / 0.93,
        // blind-4 0.80 / 0.95, blind-5 0.68 / 0.94, blind-6 0.75 / 0.94,
        // blind-7 0.79 / 0.94 (docs/rag.md)
        assertThat(conversational.inScope).isEqualTo(177);
        assertThat(conversational.hit1).as("dev hit@1").isGreaterThanOrEqualTo(0.75);
        assertThat(conversational.hit3).as("dev hit@3").isGreaterThanOrEqualTo(0.95);
        assertThat(blind1.inScope).isEqualTo(80);
        assertThat(blind1.hit1).as("blind-1 hit@1").isGreaterThanOrEqualTo(0.86);
        assertThat(blind1.hit3).as("blind-1 hit@3").isGreaterThanOrEqualTo(0.97);
        assertThat(blind2.inScope).isEqualTo(80);
        assertThat(blind2.hit1).as("blind-2 hit@1").isGreaterThanOrEqualTo(0.72);
        assertThat(blind2.hit3).as("blind-2 hit@3").isGreaterThanOrEqualTo(0.93);
        assertThat(blind3.inScope).isEqualTo(80);
        assertThat(blind3.hit1).as("blind-3 hit@1").isGreaterThanOrEqualTo(0.78);
        assertThat(blind3.hit3).as("blind-3 hit@3").isGreaterThanOrEqualTo(0.90);
        assertThat(blind4.inScope).isEqualTo(80);
        assertThat(blind4.hit1).as("blind-4 hit@1").isGreaterThanOrEqualTo(0.74);
        assertThat(blind4.hit3).as("blind-4 hit@3").isGreaterThanOrEqualTo(0.91);
        assertThat(blind5.inScope).isEqualTo(80);
        assertThat(blind5.hit1).as("blind-5 hit@1").isGreaterThanOrEqualTo(0.63);
        assertThat(blind5.hit3).as("blind-5 hit@3").isGreaterThanOrEqualTo(0.91);
        assertThat(blind6.inScope).isEqualTo(80);
        assertThat(blind6.hit1).as("blind-6 hit@1").isGreaterThanOrEqualTo(0.71);
        assertThat(blind6.hit3).as("blind-6 hit@3").isGreaterThanOrEqualTo(0.91);
        assertThat(blind7.inScope).isEqualTo(80);
        assertThat(blind7.hit1).as("blind-7 hit@1").isGreaterThanOrEqualTo(0.75);
        assertThat(blind7.hit3).as("blind-7 hit@3").isGreaterThanOrEqualTo(0.91);
    }

    @Test
    void every_kind_of_follow_up_is_found_over_the_eight_sets() {
        // measured hit@1 over the 737 follow-ups: condition switch 0.75, detail 0.94, ellipsis 0.56, pronoun 0.80, topic shift 0.88
        java.util.Map<String, Double> floors = java.util.Map.of("condition_switch", 0.71, "detail", 0.90, "ellipsis", 0.52, "pronoun", 0.76,
                "topic_shift", 0.84);
        floors.forEach((kind, floor) -> {
            double found = 0;
            int lines = 0;
            for (EvalReport report : List.of(conversational, blind1, blind2, blind3, blind4, blind5, blind6, blind7)) {
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

    @Test
    void follow_ups_only_their_conversation_answers_are_rejected_in_other_help_centres_too() {
        // measured: blind-1 0.65 rejected, 0.79 answered right; blind-2 0.50 and 0.80; blind-3 0.55 and 0.81; blind-4 0.25 and 0.83;
        // blind-5 0.35 and 0.78; blind-6 0.50 and 0.78;
        // blind-7 0.45 and 0.74 (docs/rag.md)
        assertThat(blind1.outOfScopeRejected).as("blind-1 rejected").isGreaterThanOrEqualTo(0.60);
        assertThat(blind1.answeredAtDefault).as("blind-1 answered right").isGreaterThanOrEqualTo(0.75);
        assertThat(blind2.outOfScopeRejected).as("blind-2 rejected").isGreaterThanOrEqualTo(0.40);
        assertThat(blind2.answeredAtDefault).as("blind-2 answered right").isGreaterThanOrEqualTo(0.75);
        assertThat(blind3.outOfScopeRejected).as("blind-3 rejected").isGreaterThanOrEqualTo(0.45);
        assertThat(blind3.answeredAtDefault).as("blind-3 answered right").isGreaterThanOrEqualTo(0.76);
        assertThat(blind4.outOfScopeRejected).as("blind-4 rejected").isGreaterThanOrEqualTo(0.15);
        assertThat(blind4.answeredAtDefault).as("blind-4 answered right").isGreaterThanOrEqualTo(0.78);
        assertThat(blind5.outOfScopeRejected).as("blind-5 rejected").isGreaterThanOrEqualTo(0.25);
        assertThat(blind5.answeredAtDefault).as("blind-5 answered right").isGreaterThanOrEqualTo(0.73);
        assertThat(blind6.outOfScopeRejected).as("blind-6 rejected").isGreaterThanOrEqualTo(0.40);
        assertThat(blind6.answeredAtDefault).as("blind-6 answered right").isGreaterThanOrEqualTo(0.73);
        assertThat(blind7.outOfScopeRejected).as("blind-7 rejected").isGreaterThanOrEqualTo(0.35);
        assertThat(blind7.answeredAtDefault).as("blind-7 answered right").isGreaterThanOrEqualTo(0.69);
    }
}
