package io.jingnei.core.text;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BigramSplitterTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // text | terms: bigrams as two characters, lone characters in brackets, words as they are
            "退货运费 | [退] 退货 [货] 货运 [运] 运费 [费]",
            "退货的运费 | [退] 退货 [货] 货的 的运 [运] 运费 [费]",
            "吗 | ''",
            "输入PUK码 | [输] 输入 [入] puk [码]",
            "ＰＵＫ码，２FA | puk [码] 2fa",
            "eSIM 48小时 | esim 48 [小] 小时 [时]",
            "？！ | ''",
    })
    void cuts_text_into_bigrams_lone_characters_and_words(String text, String expected) {
        List<String> terms = new ArrayList<>();
        BigramSplitter.INSTANCE.terms(text, term -> terms.add(describe(term)));

        assertThat(String.join(" ", terms)).isEqualTo(expected);
    }

    /** Han terms back to characters; a word's hash back to the word of the table (the splitter keeps no strings). */
    private static String describe(long term) {
        if ((term & (1L << 62)) != 0) {
            for (String word : List.of("puk", "2fa", "esim", "48")) {
                long[] key = new long[1];
                BigramSplitter.INSTANCE.terms(word, k -> key[0] = k);
                if (key[0] == term) {
                    return word;
                }
            }
            return "?";
        }
        if ((term & (1L << 32)) != 0) {
            return "[" + (char) (term & 0xffff) + "]";
        }
        return "" + (char) (term >>> 16) + (char) (term & 0xffff);
    }
}
