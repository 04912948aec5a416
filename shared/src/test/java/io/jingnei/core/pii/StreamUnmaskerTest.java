package io.jingnei.core.pii;

import io.jingnei.core.config.Env;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StreamUnmaskerTest {
    private static final PiiPolicy POLICY = PiiPolicy.from(
            Env.of(Map.of("JINGNEI_PII_PATTERNS", "employee=EMP\\d{5}")));
    private static final String ANSWER = "好的，[手机号1]已绑定到【身份证1】，工号[ employee1 ]，请用［手机号１］登录。";
    private static final String RESTORED = "好的，13812345678已绑定到110105199003071239，工号EMP12345，请用13812345678登录。";

    private PiiSession session;

    @BeforeEach
    void maskARequest() {
        session = POLICY.newSession();
        session.mask("手机13812345678 身份证110105199003071239 工号EMP12345");
    }

    @Test
    void a_placeholder_cut_at_every_position_into_two_chunks_is_restored() {
        for (int cut = 0; cut <= ANSWER.length(); cut++) {
            StreamUnmasker stream = session.streamUnmasker();

            String emitted = stream.push(ANSWER.substring(0, cut)) + stream.push(ANSWER.substring(cut)) + stream.finish();

            assertThat(emitted).as("cut at %d", cut).isEqualTo(RESTORED);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5})
    void an_answer_arriving_in_small_pieces_is_restored(int pieceLength) {
        StreamUnmasker stream = session.streamUnmasker();
        StringBuilder emitted = new StringBuilder();

        for (int i = 0; i < ANSWER.length(); i += pieceLength) {
            emitted.append(stream.push(ANSWER.substring(i, Math.min(ANSWER.length(), i + pieceLength))));
        }
        emitted.append(stream.finish());

        assertThat(emitted.toString()).isEqualTo(RESTORED);
    }

    @Test
    void holds_back_only_the_unfinished_placeholder() {
        StreamUnmasker stream = session.streamUnmasker();

        assertThat(stream.push("请拨打[手机")).isEqualTo("请拨打");
        assertThat(stream.push("号1]，谢谢")).isEqualTo("13812345678，谢谢");
    }

    @ParameterizedTest
    @ValueSource(strings = {"注意：[注意", "见[附件", "数组a[i", "[手机号1的说明文字很长很长", "[手机号1234567",
            "[ 身份证x", "列表[\n"})
    void a_bracket_that_cannot_become_a_placeholder_is_emitted_at_once(String delta) {
        StreamUnmasker stream = session.streamUnmasker();

        assertThat(stream.push(delta)).isEqualTo(delta);
        assertThat(stream.finish()).isEmpty();
    }

    @Test
    void a_bracket_followed_by_long_text_is_emitted_once_it_is_clearly_not_a_placeholder() {
        StreamUnmasker stream = session.streamUnmasker();

        assertThat(stream.push("答案[")).isEqualTo("答案");
        assertThat(stream.push("手")).isEmpty();
        assertThat(stream.push("册第三章")).isEqualTo("[手册第三章");
    }

    @Test
    void labels_of_kinds_the_session_did_not_mask_are_not_held_back() {
        StreamUnmasker stream = session.streamUnmasker();

        assertThat(stream.push("见[银行")).isEqualTo("见[银行");
    }

    @Test
    void an_unfinished_placeholder_at_the_end_of_the_stream_is_emitted_as_it_is() {
        StreamUnmasker stream = session.streamUnmasker();

        assertThat(stream.push("最后是[手机号1")).isEqualTo("最后是");
        assertThat(stream.finish()).isEqualTo("[手机号1");
    }

    @Test
    void nothing_is_held_back_when_the_session_masked_nothing() {
        PiiSession clean = POLICY.newSession();
        clean.mask("没有个人信息");
        StreamUnmasker stream = clean.streamUnmasker();
        String delta = "请看[手机";

        assertThat(stream.push(delta)).isSameAs(delta);
        assertThat(stream.push("号1]")).isEqualTo("号1]");
        assertThat(stream.finish()).isEmpty();
    }
}
