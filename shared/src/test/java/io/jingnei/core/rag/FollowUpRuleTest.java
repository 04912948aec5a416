package io.jingnei.core.rag;

import io.jingnei.core.index.Chunk;
import io.jingnei.core.index.HybridIndex;
import io.jingnei.core.index.IndexFormat;
import io.jingnei.core.text.BigramSplitter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The follow-up rule and its word signal: how much of what the question adds to the conversation the passage has. */
class FollowUpRuleTest {
    private static final String DEBIT = "借记卡丢失后请立即致电客服或在手机银行挂失借记卡，再到网点补办新卡。";
    private static final String CREDIT = "信用卡丢失请致电信用卡中心挂失，挂失前72小时内的盗刷可申请赔付。信用卡年费另见说明。";
    private static final List<Chunk> CHUNKS = List.of(new Chunk("debit", 0, DEBIT, "{}"), new Chunk("credit", 0, CREDIT, "{}"),
            new Chunk("fee", 0, "信用卡年费：普卡首年免年费，刷满6次免次年年费。", "{}"));

    private static HybridIndex index(boolean lexical) {
        return new HybridIndex(IndexFormat.inMemory(new float[CHUNKS.size() * 2], 2, CHUNKS, "m", false),
                lexical ? IndexFormat.lexical(CHUNKS, BigramSplitter.INSTANCE) : null);
    }

    @Test
    void how_much_of_what_the_question_adds_the_passage_has() {
        HybridIndex index = index(true);
        // "信用卡挂失呢" after "借记卡丢了怎么办" adds 信用 and 挂失 (卡 was there already)
        double credit = FollowUpRule.newWordCoverage(index, "信用卡挂失呢", "借记卡丢了怎么办", 1);
        double debit = FollowUpRule.newWordCoverage(index, "信用卡挂失呢", "借记卡丢了怎么办", 0);

        assertThat(credit).isCloseTo(1, within(1e-9));
        assertThat(debit).as("挂失 only").isBetween(0.1, 0.9);
        assertThat(FollowUpRule.newWordCoverage(index, "卡丢了？", "借记卡丢了怎么办", 0)).as("nothing new: nothing to miss").isEqualTo(1);
        assertThat(FollowUpRule.newWordCoverage(index(false), "信用卡挂失呢", "借记卡丢了怎么办", 1)).as("no lexical index").isNaN();
    }

    @Test
    void rejects_a_follow_up_the_conversation_points_at_confidently_without_its_new_words() {
        io.jingnei.core.index.Ranking confident = ranking(0.7f, 0.1); // in-context confidence 0.8
        io.jingnei.core.index.Ranking unsure = ranking(0.6f, 0.05); // 0.65
        FollowUpRule rule = new FollowUpRule(0.75, 0.734);

        assertThat(rule.rejects(new FollowUpSearch.Result(confident, confident, confident, 0.0, Double.NaN))).as("0.80 >= 0.734").isTrue();
        assertThat(rule.rejects(new FollowUpSearch.Result(confident, confident, confident, 0.2, Double.NaN))).as("0.80 - 0.15 < 0.734").isFalse();
        assertThat(rule.rejects(new FollowUpSearch.Result(confident, confident, unsure, 0.0, Double.NaN))).as("the conversation points at nothing confidently").isFalse();
        assertThat(rule.rejects(new FollowUpSearch.Result(confident, confident, null, 0.0, Double.NaN))).as("not a follow-up").isFalse();
        assertThat(rule.rejects(new FollowUpSearch.Result(confident, confident, confident, Double.NaN, Double.NaN))).as("no lexical index").isFalse();
    }

    private static io.jingnei.core.index.Ranking ranking(float cosine, double lead) {
        return new io.jingnei.core.index.Ranking(List.of(new io.jingnei.core.index.Ranking.Candidate(0, cosine, 0, 1)), lead);
    }
}
