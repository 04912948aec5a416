package io.jingnei.core.rag;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TextChunkerTest {

    @Test
    void short_text_is_one_chunk() {
        assertThat(new TextChunker(300, 50).split("七天无理由退货。签收后7天内可申请。")).containsExactly("七天无理由退货。签收后7天内可申请。");
    }

    @Test
    void splits_on_chinese_sentence_ends_and_repeats_the_last_sentence_as_overlap() {
        String text = "第一句话说明退货条件。第二句话说明退货流程！第三句话说明退款时间？第四句话说明运费；第五句话结束。";
        List<String> chunks = new TextChunker(25, 12).split(text);

        assertThat(chunks).hasSizeGreaterThan(2);
        for (String chunk : chunks) {
            assertThat(chunk.length()).isLessThanOrEqualTo(25);
        }
        assertThat(chunks.get(0)).startsWith("第一句话说明退货条件。");
        assertThat(chunks.get(1)).startsWith("第二句话说明退货流程！"); // carried over from chunk 0
        assertThat(String.join("", chunks)).contains("第五句话结束。");
    }

    @Test
    void paragraphs_start_new_chunks() {
        List<String> chunks = new TextChunker(300, 0).split("退货政策。\n\n发票说明。");
        assertThat(chunks).containsExactly("退货政策。", "发票说明。");
    }

    @Test
    void english_sentences_split_too_and_an_overlong_sentence_is_cut() {
        List<String> chunks = new TextChunker(40, 0).split("Returns are free within seven days. Refunds take one to five days. "
                + "x".repeat(100));
        assertThat(chunks.get(0)).isEqualTo("Returns are free within seven days.");
        assertThat(chunks).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(40));
        assertThat(String.join("", chunks)).contains("x".repeat(40));
    }
}
