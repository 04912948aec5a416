package io.jingnei.core.rag;

import io.jingnei.core.index.Chunk;
import io.jingnei.core.index.HybridIndex;
import io.jingnei.core.index.IndexFormat;
import io.jingnei.core.text.BigramSplitter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The follow-up rule's word signal: how much of what the question adds to the conversation the passage has. */
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
    void the_share_of_the_questions_new_bigrams_the_passage_contains() {
        HybridIndex index = index(false);
        // new bigrams of "信用卡挂失呢" after "借记卡丢了怎么办": 信用 用卡 卡挂 挂失 失呢; the credit passage has 信用 用卡 挂失
        assertThat(FollowUpRule.newWordCoverage(index, "信用卡挂失呢", "借记卡丢了怎么办", CREDIT)).isCloseTo(0.6, within(1e-9));
        assertThat(FollowUpRule.newWordCoverage(index, "信用卡挂失呢", "借记卡丢了怎么办", DEBIT)).as("挂失 only").isCloseTo(0.2, within(1e-9));
        assertThat(FollowUpRule.newWordCoverage(index, "借记卡呢", "借记卡丢了怎么办", DEBIT)).as("卡呢 is new, and absent")
                .isZero();
        assertThat(FollowUpRule.newWordCoverage(index, "它", "借记卡丢了怎么办", DEBIT)).as("nothing new: nothing to miss").isEqualTo(1);
    }

    @Test
    void rare_new_words_weigh_more_than_common_ones() {
        // 信用 is in two of three chunks, 挂失 in two, 年费 in two, 盗刷 in one: found 盗刷 outweighs missing 年费
        HybridIndex index = index(true);
        double rareFound = FollowUpRule.newWordCoverage(index, "盗刷年费", "", CREDIT.replace("年费", ""));
        double commonFound = FollowUpRule.newWordCoverage(index, "盗刷年费", "", CREDIT.replace("盗刷", ""));

        assertThat(rareFound).isGreaterThan(commonFound);
    }

    @Test
    void rejects_a_follow_up_whose_passage_is_the_earlier_article_without_its_new_words() {
        io.jingnei.core.index.Ranking ranking = new io.jingnei.core.index.Ranking(List.of(new io.jingnei.core.index.Ranking.Candidate(0, 0.7f, 0, 1)), 0.1);
        FollowUpRule rule = new FollowUpRule(0.5, 0.72);

        assertThat(rule.rejects(new FollowUpSearch.Result(ranking, ranking, ranking, 0.80, 0.0))).isTrue();
        assertThat(rule.rejects(new FollowUpSearch.Result(ranking, ranking, ranking, 0.80, 0.3))).as("0.80 - 0.15 < 0.72").isFalse();
        assertThat(rule.rejects(new FollowUpSearch.Result(ranking, ranking, null, 0.80, 0.0))).as("not a follow-up").isFalse();
    }
}
