package io.jingnei.core.rag;

import io.jingnei.core.embed.Embedder;
import io.jingnei.core.index.Chunk;
import io.jingnei.core.index.Fusion;
import io.jingnei.core.index.HybridIndex;
import io.jingnei.core.index.IndexFormat;
import io.jingnei.core.llm.ChatMessage;
import io.jingnei.core.text.BigramSplitter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FollowUpSearch over a four-article index whose vectors are axes (article i is axis i), so a
 * question's embedding is written as its closeness to each article: each row is one kind of
 * follow-up, with what the question alone would find beside what the conversation finds.
 */
class FollowUpSearchTest {
    private static final int DIM = 6;
    private static final List<Chunk> ARTICLES = List.of(
            new Chunk("debit-loss", 0, "借记卡丢失后请立即致电客服或在手机银行挂失借记卡，再到网点补办新卡。", "{\"title\":\"借记卡挂失\"}"),
            new Chunk("credit-loss", 0, "信用卡丢失请致电信用卡中心挂失，挂失前72小时内的盗刷可申请赔付。", "{\"title\":\"信用卡挂失\"}"),
            new Chunk("refund-time", 0, "退货验收通过后，退款原路返回，一般1到7个工作日到账。", "{\"title\":\"退款到账时间\"}"),
            new Chunk("invoice", 0, "订单完成后可在订单详情页申请电子发票。", "{\"title\":\"发票开具\"}"));
    private static final HybridIndex INDEX = index();
    private static final FollowUpSearch FOLLOW_UPS = new FollowUpSearch(FollowUpSearch.Settings.DEFAULT);

    private static HybridIndex index() {
        float[] vectors = new float[ARTICLES.size() * DIM];
        for (int i = 0; i < ARTICLES.size(); i++) {
            vectors[i * DIM + i] = 1;
        }
        return new HybridIndex(IndexFormat.inMemory(vectors, DIM, ARTICLES, "m", false), IndexFormat.lexical(ARTICLES, BigramSplitter.INSTANCE));
    }

    /** An embedding as closeness to articles 0..3, plus a share of meaning none of them has (axis 4). */
    private static float[] meaning(String closeness) {
        float[] v = new float[DIM];
        String[] parts = closeness.trim().split(" ");
        for (int i = 0; i < parts.length; i++) {
            v[i] = Float.parseFloat(parts[i]);
        }
        return Embedder.normalise(v);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // kind | earlier turn | its meaning | question | its meaning | found alone | found with the conversation
            "topic shift: the new question's own article  | 借记卡丢了怎么办 | 1 0 0 0 0   | 发票怎么开     | 0 0 0 0.8 0.6     | invoice     | invoice",
            "ellipsis: the earlier turn names the topic   | 东西退了        | 0 0 1 0 0   | 多久能到       | 0.3 0.3 0.35 0.3 0.8 | refund-time | refund-time",
            "pronoun: 'it' is the earlier turn's article  | 我想退货退款    | 0.1 0 1 0 0 | 它要几天       | 0.4 0.3 0.3 0.3 0.8 | debit-loss  | refund-time",
            "condition switch: the new condition's words and meaning | 借记卡丢了怎么办 | 1 0 0 0 0 | 信用卡丢了呢 | 0.4 0.7 0 0 0.6 | credit-loss | credit-loss",
    })
    void a_follow_up_finds_its_article(String kind, String earlier, String earlierMeaning, String question, String questionMeaning,
                                       String alone, String inConversation) {
        float[] questionVector = meaning(questionMeaning);

        FollowUpSearch.Result found = FOLLOW_UPS.search(INDEX, Fusion.DEFAULT, 3, question, questionVector, earlier, meaning(earlierMeaning));

        assertThat(found.followUp()).isTrue();
        assertThat(doc(found.standalone)).as("alone").isEqualTo(alone);
        assertThat(doc(found.ranking)).as("with the conversation").isEqualTo(inConversation);
        assertThat(found.ranking.candidates).hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void the_result_carries_what_the_follow_up_rule_reads_about_the_best_passage() {
        // "它要几天" after "我想退货退款": the passage is the earlier turn's article and has none of 它, 几, 天
        FollowUpSearch.Result pronoun = FOLLOW_UPS.search(INDEX, Fusion.DEFAULT, 3, "它要几天", meaning("0.4 0.3 0.3 0.3 0.8"), "我想退货退款",
                meaning("0.1 0 1 0 0"));
        // "信用卡丢了呢" after "借记卡丢了怎么办": its own article, with the 信用 it adds
        FollowUpSearch.Result condition = FOLLOW_UPS.search(INDEX, Fusion.DEFAULT, 3, "信用卡丢了呢", meaning("0.4 0.7 0 0 0.6"), "借记卡丢了怎么办",
                meaning("1 0 0 0 0"));

        assertThat(doc(pronoun.ranking)).isEqualTo("refund-time");
        assertThat(doc(pronoun.context)).as("the in-context ranking, whose confidence the rule reads").isEqualTo("refund-time");
        assertThat(pronoun.newWordCoverage).isZero();
        assertThat(doc(condition.ranking)).isEqualTo("credit-loss");
        assertThat(condition.newWordCoverage).isCloseTo(1, org.assertj.core.api.Assertions.within(1e-9));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "信用卡呢？, true", "那去海南呢, true", "要是东西摔坏了, true", "反过来，我想转进来, true", "如果是冷链寄的海鲜化了呢。, true",
            "那钱几天能回来, false", "它要几天, false", "发票怎么开, false", "呢子大衣能退吗, false",
            "那信用卡的话, true", "寄到国外的话？, true", "那要是寄到国外, true", "那么，万一是冷链件, true", "改成到付, true",
            "补卡要多久呢, false", "那运费怎么算呢, false", "如果超过7天了还能退吗, false", "要是丢了能补吗？, false",
            "信用卡的话怎么办, false", "那万一丢了怎么办, false", "那你们说的话算数吗, false",
            "那会不会影响征信呢, false", "有没有优惠呢, false", "要是过期了要不要重新办呢, false", "运费谁出呢, false", "几号到账呢, false",
            "有没有会员呢, false", "没有发票呢, true", "不想要了呢, true",
    })
    void a_condition_switch_is_told_by_its_shape(String question, boolean switches) {
        assertThat(FollowUpSearch.switchesCondition(question)).isEqualTo(switches);
    }

    @Test
    void a_question_unsure_alone_leaves_the_lead_to_its_conversation() {
        // "多久能弄好" after "我想退货退款": alone it leans to the invoice article, unsure (confidence below 0.68)
        float[] question = meaning("0 0 0 0.4 0.9");
        FollowUpSearch evenShare = new FollowUpSearch(new FollowUpSearch.Settings(3, 0.5, 1.5, 0.5, 1.0, 0, 0.2));

        FollowUpSearch.Result even = evenShare.search(INDEX, Fusion.DEFAULT, 3, "多久能弄好", question, "我想退货退款", meaning("0 0 1 0 0 0.8"));
        FollowUpSearch.Result shipped = FOLLOW_UPS.search(INDEX, Fusion.DEFAULT, 3, "多久能弄好", question, "我想退货退款", meaning("0 0 1 0 0 0.8"));

        assertThat(doc(shipped.standalone)).as("alone").isEqualTo("invoice");
        assertThat(RejectionRule.confidence(shipped.standalone)).isLessThan(FollowUpSearch.Settings.DEFAULT.unsureBelow);
        assertThat(doc(even.ranking)).as("an even share follows the question alone").isEqualTo("invoice");
        assertThat(doc(shipped.ranking)).as("the conversation leads").isEqualTo("refund-time");
    }

    @Test
    void a_condition_switch_loses_some_score_on_the_earlier_turns_article() {
        // closer in meaning to the debit card article the earlier turn was answered with than to its own
        float[] question = meaning("0.75 0.5 0 0 0.45");
        FollowUpSearch without = new FollowUpSearch(new FollowUpSearch.Settings(1, 0.5, 1.5, 0.5, 0, 0, 0.5));

        FollowUpSearch.Result kept = without.search(INDEX, Fusion.DEFAULT, 3, "要是信用卡呢", question, "借记卡丢了怎么办", meaning("1 0 0 0 0"));
        FollowUpSearch.Result switched = FOLLOW_UPS.search(INDEX, Fusion.DEFAULT, 3, "要是信用卡呢", question, "借记卡丢了怎么办", meaning("1 0 0 0 0"));
        FollowUpSearch.Result notShaped = FOLLOW_UPS.search(INDEX, Fusion.DEFAULT, 3, "信用卡也这样办", question, "借记卡丢了怎么办", meaning("1 0 0 0 0"));

        assertThat(doc(kept.ranking)).as("without the penalty").isEqualTo("debit-loss");
        assertThat(doc(switched.ranking)).isEqualTo("credit-loss");
        assertThat(doc(notShaped.ranking)).as("not shaped like a switch").isEqualTo("debit-loss");
    }

    @Test
    void a_question_without_an_earlier_turn_is_searched_alone_as_a_single_question() {
        float[] questionVector = meaning("0 0 0 1 0");

        FollowUpSearch.Result found = FOLLOW_UPS.search(INDEX, Fusion.DEFAULT, 2, "发票怎么开", questionVector, "", null);

        assertThat(found.followUp()).isFalse();
        assertThat(found.ranking.candidates).hasSize(2);
        assertThat(positions(found.ranking)).containsExactlyElementsOf(positions(INDEX.search(questionVector, "发票怎么开", 2, Fusion.DEFAULT)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case | turns (role:content, ';' between) | user turns read | earlier
            "no history                          | ''                                          | 1 | ''",
            "the previous user turn              | user:借记卡丢了;assistant:请挂失             | 1 | 借记卡丢了",
            "only the most recent user turns     | user:A;assistant:a;user:B;assistant:b       | 1 | B",
            "two user turns, oldest first        | user:A;assistant:a;user:B;assistant:b       | 2 | A\\nB",
            "the shipped three of four           | user:A;assistant:a;user:B;user:C;assistant:c;user:D | 3 | B\\nC\\nD",
            "blank user turns are skipped        | user:A;user:BLANK;assistant:a                | 1 | A",
            "assistant turns are never read      | assistant:请问有什么可以帮您                  | 1 | ''",
    })
    void earlier_reads_the_most_recent_user_turns(String name, String turns, int userTurns, String expected) {
        List<ChatMessage> history = new ArrayList<>();
        for (String turn : turns.isBlank() ? new String[0] : turns.split(";")) {
            String[] parts = turn.split(":", 2);
            history.add(new ChatMessage(parts[0].trim(), parts[1].replace("BLANK", "  ")));
        }
        FollowUpSearch search = new FollowUpSearch(new FollowUpSearch.Settings(userTurns, 0.5, 1.5, 0.5));

        assertThat(search.earlier(history, "运费谁出")).isEqualTo(expected.replace("\\n", "\n"));
        assertThat(search.earlier(null, "运费谁出")).isEmpty();
    }

    @Test
    void a_long_earlier_turn_is_read_by_its_last_characters() {
        String asked = "那我这个情况到底能不能退？";
        String story = "我上周在你们店里买了一台空调，".repeat(40) + asked;
        List<ChatMessage> history = List.of(new ChatMessage("user", story), new ChatMessage("assistant", "好的"),
                new ChatMessage("user", "运费谁出"), new ChatMessage("assistant", "卖家"));

        String earlier = FOLLOW_UPS.earlier(history, "要多久");

        assertThat(earlier).endsWith(asked + "\n运费谁出");
        assertThat(earlier.split("\n")[0]).hasSize(FollowUpSearch.TURN_CHARS);
        // 100 emoji (surrogate pairs) and a letter: the 150th character from the end is the second half of a pair
        String emoji = "\uD83D\uDE00".repeat(100) + "x";
        String cut = FOLLOW_UPS.earlier(List.of(new ChatMessage("user", emoji)), "要多久");
        assertThat(Character.isLowSurrogate(cut.charAt(0))).as("the cut never splits a pair").isFalse();
        assertThat(cut).hasSize(FollowUpSearch.TURN_CHARS - 1).endsWith("\uD83D\uDE00x");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "'另外，发票在哪下', true", "对了 买东西能分期不, true", "还有，上周打车好像多收了, true", "顺便问下分期能免息不, true",
            "话说免息期最长多少天, true", "换个问题，买了医疗险多久后生病能赔, true", "我还想问积分怎么用, true",
            "还有充电宝呢, false", "另外一张卡呢, false", "发票在哪下, false", "那还有别的办法吗, false", "它还有效吗, false",
    })
    void a_question_announcing_a_new_topic_is_searched_alone(String question, boolean announces) {
        List<ChatMessage> history = List.of(new ChatMessage("user", "退货运费谁出"), new ChatMessage("assistant", "卖家出"));

        assertThat(FollowUpSearch.announcesNewTopic(question)).isEqualTo(announces);
        assertThat(FOLLOW_UPS.earlier(history, question)).isEqualTo(announces ? "" : "退货运费谁出");
    }

    private static String doc(io.jingnei.core.index.Ranking ranking) {
        return INDEX.chunk(ranking.best().position).docId;
    }

    private static List<Integer> positions(io.jingnei.core.index.Ranking ranking) {
        List<Integer> positions = new ArrayList<>();
        ranking.candidates.forEach(c -> positions.add(c.position));
        return positions;
    }
}
