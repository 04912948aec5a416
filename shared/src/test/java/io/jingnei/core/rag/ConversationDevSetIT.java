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
 * {@link FollowUpSearch} and the shipped rule, and blind-1 (another help centre, written blind): floors a little under what was measured when the
 * defaults were chosen (README, docs/rag.md), so a regression shows and noise does not.
 */
class ConversationDevSetIT {
    private static ConversationDevSet dev;
    private static EvalReport conversational;
    private static EvalReport lastQuestionAlone;

    @BeforeAll
    static void evaluate() throws Exception {
        dev = new ConversationDevSet();
        RagConfig config = ConversationDevSet.CONFIG;
        conversational = dev.eval(dev.conversations, new FollowUpSearch(FollowUpSearch.Settings.DEFAULT))
                .report(config.fusion(), config.rejection(), config.topK, 10);
        RetrievalEval alone = new RetrievalEval(dev.index, dev.conversations, dev.embed(dev.conversations.stream().map(q -> q.question)
                .collect(java.util.stream.Collectors.toList())));
        lastQuestionAlone = alone.report(config.fusion(), config.rejection(), config.topK, 0);
    }

    @AfterAll
    static void close() {
        dev.close();
    }

    @Test
    void follow_ups_find_their_article_with_the_conversation() {
        // measured hit@1 0.78, hit@3 0.94, weakest kinds ellipsis 0.68 and condition switch 0.72 (docs/rag.md)
        assertThat(conversational.inScope).isEqualTo(177);
        assertThat(conversational.hit1).as("hit@1").isGreaterThanOrEqualTo(0.76);
        assertThat(conversational.hit3).as("hit@3").isGreaterThanOrEqualTo(0.93);
        conversational.byKind.forEach((kind, figures) -> assertThat(figures.hit1).as(kind + " hit@1").isGreaterThanOrEqualTo(0.65));
    }

    @Test
    void a_topic_set_two_or_three_questions_back_is_found() throws Exception {
        List<EvalQuestion> longer = new ArrayList<>();
        dev.conversations.stream().filter(q -> q.history.stream().filter(t -> "user".equals(t.role)).count() >= 2).forEach(longer::add);
        RagConfig config = ConversationDevSet.CONFIG;
        FollowUpSearch.Settings shipped = FollowUpSearch.Settings.DEFAULT;
        EvalReport three = dev.eval(longer, new FollowUpSearch(shipped)).report(config.fusion(), config.rejection(), config.topK, 0);
        EvalReport one = dev.eval(longer, new FollowUpSearch(new FollowUpSearch.Settings(1, shipped.earlierWords, shipped.earlierMeaning,
                shipped.standaloneShare, shipped.switchPenalty))).report(config.fusion(), config.rejection(), config.topK, 0);

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
        // measured 0.64 rejected and 0.84 answered right with FollowUpRule.DEFAULT (docs/rag.md)
        assertThat(conversational.outOfScope).isEqualTo(53);
        assertThat(conversational.outOfScopeRejected).as("unanswerable follow-ups rejected").isGreaterThanOrEqualTo(0.58);
        assertThat(conversational.answeredAtDefault).as("answered with a right article").isGreaterThanOrEqualTo(0.80);
    }

    @Test
    void another_help_centre_written_blind_is_served_as_well() throws Exception {
        // blind-1: four other domains, 80 follow-ups and 20 no article answers; measured hit@1 0.80, hit@3 0.99,
        // 0.65 rejected and 0.79 answered right (conversation-dev/blind-1/README.md, docs/rag.md)
        try (ConversationDevSet blind = ConversationDevSet.blind(1)) {
            RagConfig config = ConversationDevSet.CONFIG;
            EvalReport report = blind.eval(blind.conversations, new FollowUpSearch(FollowUpSearch.Settings.DEFAULT))
                    .report(config.fusion(), config.rejection(), config.topK, 0);
            assertThat(report.inScope).isEqualTo(80);
            assertThat(report.hit1).as("hit@1").isGreaterThanOrEqualTo(0.76);
            assertThat(report.hit3).as("hit@3").isGreaterThanOrEqualTo(0.95);
            assertThat(report.outOfScopeRejected).as("unanswerable follow-ups rejected").isGreaterThanOrEqualTo(0.55);
            assertThat(report.answeredAtDefault).as("answered with a right article").isGreaterThanOrEqualTo(0.75);
        }
    }
}
