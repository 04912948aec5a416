package io.jingnei.core.text;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLinesTest {

    @Test
    void numbers_lines_as_an_editor_does_counting_the_blank_ones_it_skips() {
        List<JsonLines.Line> lines = JsonLines.parse("{\"a\":1}\n\n   \n{\"a\":2}\n");

        assertEquals(2, lines.size());
        assertEquals(1, lines.get(0).number);
        assertEquals(4, lines.get(1).number);
        assertEquals(2, lines.get(1).node.path("a").asInt());
    }

    @Test
    void reads_a_windows_file_with_a_byte_order_mark_and_crlf() {
        byte[] file = "\uFEFF{\"q\":\"退货\"}\r\n{\"q\":\"换货\"}\r\n".getBytes(StandardCharsets.UTF_8);

        List<JsonLines.Line> lines = JsonLines.parse(file);

        assertEquals(2, lines.size());
        assertTrue(lines.get(0).isJson());
        assertEquals("退货", lines.get(0).node.path("q").asText());
        assertEquals("换货", lines.get(1).node.path("q").asText());
    }

    @Test
    void hands_on_a_line_that_is_not_json_with_its_number_and_reads_on() {
        List<JsonLines.Line> lines = JsonLines.parse("{\"a\":1}\n{\"a\":\n{\"a\":3}");

        assertEquals(3, lines.size());
        assertFalse(lines.get(1).isJson());
        assertEquals("line 2 is not valid JSON", lines.get(1).problem());
        assertEquals(3, lines.get(2).node.path("a").asInt(), "the last line needs no line break");
    }

    @Test
    void joins_ranges_that_end_inside_a_line_and_inside_a_character() {
        byte[] file = "{\"q\":\"发票\"}\n{\"q\":\"物流\"}\n".getBytes(StandardCharsets.UTF_8);
        List<JsonLines.Line> lines = new ArrayList<>();
        JsonLines reader = new JsonLines(lines::add);

        int cut = 8; // inside the three bytes of 发
        reader.feed(Arrays.copyOfRange(file, 0, cut));
        reader.feed(Arrays.copyOfRange(file, cut, file.length));
        reader.end();

        assertEquals(2, lines.size());
        assertEquals("发票", lines.get(0).node.path("q").asText());
        assertEquals("物流", lines.get(1).node.path("q").asText());
    }
}
