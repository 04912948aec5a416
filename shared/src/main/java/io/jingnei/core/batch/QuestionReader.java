package io.jingnei.core.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.text.CsvReader;
import io.jingnei.core.text.JsonLines;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads questions from JSONL ({@code {id, question, user_id?}}) or CSV ({@code id,question}, quoted
 * fields may hold commas and line breaks) in ranged reads of 1 MiB, so a large file is never held
 * whole. A bad line becomes a question with a problem; a file over the limits is refused with the
 * limit named. Blocks: call on a worker thread.
 */
final class QuestionReader {
    private static final int RANGE = 1 << 20;

    private final ObjectStore store;
    private final BatchLimits limits;

    QuestionReader(ObjectStore store, BatchLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    List<Question> read(URI input) {
        boolean csv = input.getPath() != null && input.getPath().toLowerCase(Locale.ROOT).endsWith(".csv");
        List<Question> questions = new ArrayList<>();
        Sink sink = csv ? new CsvSink(questions, input) : new JsonlSink(questions, input);
        long offset = 0;
        while (true) {
            byte[] range = FaqBatch.join(store.getRange(input, offset, RANGE));
            offset += range.length;
            if (offset > limits.maxInputBytes) {
                throw new BatchException(input + " is larger than the limit of " + limits.maxInputBytes + " bytes (JINGNEI_FAQ_MAX_INPUT_BYTES)");
            }
            sink.bytes(range);
            if (range.length < RANGE) {
                break;
            }
        }
        sink.end();
        return questions;
    }

    private interface Sink {
        void bytes(byte[] range);

        void end();
    }

    /** JSONL: one question per line, through the one JSONL reader, which takes ranges that end anywhere. */
    private final class JsonlSink implements Sink {
        private final JsonLines lines;

        JsonlSink(List<Question> questions, URI input) {
            this.lines = new JsonLines(line -> add(questions, input, jsonLine(line)));
        }

        @Override
        public void bytes(byte[] range) {
            lines.feed(range);
        }

        @Override
        public void end() {
            lines.end();
        }
    }

    /** CSV through the one CSV reader; bytes are decoded across range ends without splitting a character. */
    private final class CsvSink implements Sink {
        private final List<Question> questions;
        private final URI input;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private final CsvReader csv;
        private ByteBuffer carry = ByteBuffer.allocate(0);
        private boolean first = true;

        CsvSink(List<Question> questions, URI input) {
            this.questions = questions;
            this.input = input;
            this.csv = new CsvReader(this::row);
        }

        @Override
        public void bytes(byte[] range) {
            ByteBuffer in = ByteBuffer.allocate(carry.remaining() + range.length);
            in.put(carry).put(range).flip();
            CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
            decoder.decode(in, out, false);
            out.flip();
            String text = out.toString();
            if (first && text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            first = false;
            csv.feed(text);
            carry = in.slice();
        }

        @Override
        public void end() {
            CharBuffer out = CharBuffer.allocate(carry.remaining() + 2);
            decoder.decode(carry, out, true);
            decoder.flush(out);
            out.flip();
            csv.feed(out);
            csv.finish();
        }

        private void row(CsvReader.Row row) {
            List<String> f = row.fields;
            boolean header = row.line == 1 && f.size() >= 2 && f.get(0).trim().equalsIgnoreCase("id")
                    && f.get(1).trim().equalsIgnoreCase("question");
            if (header) {
                return;
            }
            if (f.size() < 2) {
                add(questions, input, new Question(row.line, f.isEmpty() || f.get(0).isBlank() ? "line-" + row.line : f.get(0).trim(),
                        null, null, "line " + row.line + " is not 'id,question'"));
                return;
            }
            add(questions, input, question(row.line, f.get(0).trim(), f.get(1).trim(), null));
        }
    }

    private void add(List<Question> questions, URI input, Question question) {
        if (questions.size() >= limits.maxQuestions) {
            throw new BatchException(input + " has more than " + limits.maxQuestions + " questions (JINGNEI_FAQ_MAX_QUESTIONS)");
        }
        questions.add(question);
    }

    private Question jsonLine(JsonLines.Line line) {
        int lineNo = line.number;
        if (!line.isJson()) {
            return new Question(lineNo, "line-" + lineNo, null, null, line.problem());
        }
        JsonNode node = line.node;
        if (!node.isObject()) {
            return new Question(lineNo, "line-" + lineNo, null, null, "line " + lineNo + " is not a JSON object");
        }
        String id = node.path("id").isMissingNode() || node.path("id").isNull() ? "line-" + lineNo : node.path("id").asText();
        String user = node.path("user_id").isTextual() ? node.path("user_id").asText() : null;
        if (node.path("question").asText("").isBlank()) {
            return new Question(lineNo, id, null, null, "line " + lineNo + " has no 'question'");
        }
        return question(lineNo, id, node.path("question").asText(""), user);
    }

    private Question question(int lineNo, String id, String text, String user) {
        if (text.isBlank()) {
            return new Question(lineNo, id, null, null, "line " + lineNo + " has no question");
        }
        if (text.length() > limits.maxQuestionChars) {
            return new Question(lineNo, id, null, null, "line " + lineNo + ": question has " + text.length()
                    + " characters; the limit is " + limits.maxQuestionChars);
        }
        return new Question(lineNo, id, text, user, null);
    }
}
