package io.jingnei.core.stream;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseParserTest {
    private final List<String> events = new ArrayList<>();
    private final SseParser parser = new SseParser(events::add);

    @Test
    void splits_events_on_blank_lines_with_any_line_ending() {
        feed("data: a\n\ndata: b\r\n\r\ndata: c\r\r");
        assertThat(events).containsExactly("a", "b", "c");
    }

    @Test
    void joins_multi_line_data_and_skips_comments_and_other_fields() {
        feed(": keep-alive\nevent: message\nid: 7\ndata: one\ndata:two\n\n");
        assertThat(events).containsExactly("one\ntwo");
    }

    @Test
    void keeps_a_utf8_character_split_across_buffers() {
        byte[] bytes = "data: 您好\n\n".getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            parser.feed(ByteBuffer.wrap(new byte[] {b}));
        }
        assertThat(events).containsExactly("您好");
    }

    @Test
    void delivers_a_last_event_without_its_blank_line_at_the_end() {
        feed("data: [DONE]");
        assertThat(events).isEmpty();
        parser.end();
        assertThat(events).containsExactly("[DONE]");
    }

    @Test
    void a_crlf_split_between_buffers_is_one_line_end() {
        feed("data: x\r");
        feed("\n\r\n");
        assertThat(events).containsExactly("x");
    }

    private void feed(String text) {
        parser.feed(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }
}
