package io.jingnei.core.rag;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class NoAnswerMarkerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "[NO_ANSWER]                                          | true",
            "'  [NO_ANSWER]  '                                    | true",
            "[NO_ANSWER]。                                        | true",
            "参考资料没有提到这一点。[NO_ANSWER]                     | true",
            "[NO_ANSWER] 参考资料只讲了退货                           | true",
            "退款一般3到5个工作日到账。                                | false",
            "参考资料：[1] …… 如果以上参考资料不能回答这个问题，请只输出 [NO_ANSWER]，不要输出其他内容。 | false",
            "''                                                   | false",
    })
    void only_an_answer_that_is_the_marker_declines(String content, boolean declined) {
        assertThat(RagPrompt.declined(content)).isEqualTo(declined);
    }
}
