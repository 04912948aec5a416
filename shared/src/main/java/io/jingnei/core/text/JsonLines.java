package io.jingnei.core.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.jingnei.core.util.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one JSONL reader. Lines end at LF, a CR before it is dropped (files saved on Windows), a
 * byte-order mark before the first line is dropped (Excel and Notepad write one), blank lines are
 * skipped but counted, so a line's number is the one an editor shows. A line that is not JSON is
 * handed on with its number rather than thrown: each reader decides what it means (a batch
 * question with a problem, a document file refused, a checkpoint line torn by a crash asked again).
 * Bytes may be fed in ranges that end anywhere, even inside a character; the sink is called on the
 * feeding thread.
 */
public final class JsonLines {
    private final Consumer<Line> sink;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private int number;

    public JsonLines(Consumer<Line> sink) {
        this.sink = sink;
    }

    /** One non-blank line: its number (from 1) and its JSON, or null when it is not JSON. */
    public static final class Line {
        public final int number;
        public final JsonNode node;

        Line(int number, JsonNode node) {
            this.number = number;
            this.node = node;
        }

        public boolean isJson() {
            return node != null;
        }

        /** What is wrong with a line that is not JSON, in the words every reader uses. */
        public String problem() {
            return "line " + number + " is not valid JSON";
        }
    }

    public static List<Line> parse(byte[] bytes) {
        List<Line> lines = new ArrayList<>();
        JsonLines reader = new JsonLines(lines::add);
        reader.feed(bytes);
        reader.end();
        return lines;
    }

    public static List<Line> parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    public void feed(byte[] bytes) {
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                pending.write(bytes, start, i - start);
                line(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
                start = i + 1;
            }
        }
        pending.write(bytes, start, bytes.length - start);
    }

    /** The last line, when the text does not end with a line break. */
    public void end() {
        if (pending.size() > 0) {
            line(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
        }
    }

    private void line(String raw) {
        number++;
        String text = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        if (number == 1 && text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            return;
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (IOException e) {
            node = null;
        }
        sink.accept(new Line(number, node));
    }
}
