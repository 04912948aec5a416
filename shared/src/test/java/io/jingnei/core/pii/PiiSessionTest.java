package io.jingnei.core.pii;

import io.jingnei.core.config.Env;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class PiiSessionTest {
    private final PiiSession session = PiiPolicy.from(Env.of(Map.of())).newSession();

    @Test
    void a_value_keeps_its_placeholder_across_the_messages_of_a_conversation() {
        String first = session.mask("我的手机是13812345678");
        String later = session.mask("刚才说的13812345678收不到短信，换15000000000吧");

        assertThat(first).isEqualTo("我的手机是[手机号1]");
        assertThat(later).isEqualTo("刚才说的[手机号1]收不到短信，换[手机号2]吧");
    }

    @Test
    void two_spellings_of_one_number_share_a_placeholder_and_unmask_to_the_first() {
        String masked = session.mask("138 1234 5678 就是 +8613812345678");

        assertThat(masked).isEqualTo("[手机号1] 就是 [手机号1]");
        assertThat(session.unmask(masked)).isEqualTo("138 1234 5678 就是 138 1234 5678");
        assertThat(session.counts()).containsExactly(entry("phone", 1));
    }

    @Test
    void full_width_and_zero_width_spellings_share_the_placeholder_of_the_ascii_one() {
        String masked = session.mask("１３８１２３４５６７８，即13812345678，也是138\u200B1234\u200B5678");

        assertThat(masked).isEqualTo("[手机号1]，即[手机号1]，也是[手机号1]");
        assertThat(session.unmask("[手机号1]")).isEqualTo("１３８１２３４５６７８");
        assertThat(session.counts()).containsExactly(entry("phone", 1));
    }

    @Test
    void numbering_is_per_kind() {
        String masked = session.mask("13812345678, 110105199003071239, 13912345678, 6222021234567894");

        assertThat(masked).isEqualTo("[手机号1], [身份证1], [手机号2], [银行卡1]");
    }

    @Test
    void unmask_restores_the_values_in_the_answer() {
        session.mask("身份证110105199003071239，手机13812345678");

        String answer = session.unmask("已为[身份证1]绑定[手机号1]，请确认[手机号1]能接收短信。");

        assertThat(answer).isEqualTo("已为110105199003071239绑定13812345678，请确认13812345678能接收短信。");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[手机号 1]", "[ 手机号1 ]", "［手机号1］", "【手机号1】", "[手机号１]", "【 手机号 １ 】", "[手机号\u30001]"})
    void unmask_restores_a_placeholder_the_model_mangled(String mangled) {
        session.mask("13812345678");

        assertThat(session.unmask("请拨打" + mangled + "。")).isEqualTo("请拨打13812345678。");
    }

    @Test
    void placeholders_the_session_did_not_hand_out_stay_as_they_are() {
        session.mask("13812345678");

        String answer = session.unmask("[手机号2] [身份证1] [注意] [手机号1]");

        assertThat(answer).isEqualTo("[手机号2] [身份证1] [注意] 13812345678");
    }

    @Test
    void a_session_that_masked_nothing_returns_text_unchanged() {
        String text = "今天天气不错，见[附件1]";

        assertThat(session.mask(text)).isSameAs(text);
        assertThat(session.unmask(text)).isSameAs(text);
        assertThat(session.masked()).isFalse();
        assertThat(session.counts()).isEmpty();
    }

    @Test
    void counts_distinct_values_per_kind_and_never_the_values() {
        session.mask("13812345678 13812345678 13912345678 110105199003071239 zhang.san@example.com");

        Map<String, Integer> counts = session.counts();

        assertThat(counts).containsExactly(entry("phone", 2), entry("id", 1), entry("email", 1));
        assertThat(counts.toString()).doesNotContain("138", "1101", "zhang");
        assertThat(session.masked()).isTrue();
    }

    @Test
    void sessions_do_not_share_placeholders() {
        PiiPolicy policy = PiiPolicy.from(Env.of(Map.of()));
        PiiSession alice = policy.newSession();
        PiiSession bob = policy.newSession();
        alice.mask("13812345678");
        bob.mask("13912345678");

        assertThat(bob.unmask("[手机号1]")).isEqualTo("13912345678");
        assertThat(alice.unmask("[手机号1]")).isEqualTo("13812345678");
    }

    @Test
    void masks_a_500_character_message_with_several_values_and_restores_it() {
        String message = sampleMessage();

        String masked = session.mask(message);

        assertThat(masked).doesNotContain("13812345678", "110105199003071239", "6222021234567894", "zhang.san@example.com");
        assertThat(session.unmask(masked)).isEqualTo(message);
    }

    /** About 500 characters of ordinary text with four values and some look-alikes. */
    static String sampleMessage() {
        StringBuilder text = new StringBuilder();
        text.append("您好，我是张三，订单号DY20261111001，金额¥199.00，下单时间2026-11-11 12:00。");
        text.append("我的手机13812345678，身份证110105199003071239，退款请打到卡号6222021234567894，");
        text.append("也可以发邮件到zhang.san@example.com。");
        while (text.length() < 500) {
            text.append("收到的商品包装破损，希望尽快处理，版本1.2.3的应用无法打开订单页面。");
        }
        return text.substring(0, 500);
    }
}
