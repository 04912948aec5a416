package io.jingnei.core.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.storage.ObjectStore;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Reads questions from JSONL ({@code {id, question, user_id?}}) or CSV ({@code id,question}) in
 * ranged reads of 1 MiB, so a large file is never held whole. A bad line becomes a question with a
 * problem; a file over the limits is refused with the limit named.
 */
final class QuestionReader {
    private static final ObjectMapper JSON = new ObjectMapper();
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
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        long offset = 0;
        int lineNo = 0;
        while (true) {
            byte[] range = join(store.getRange(input, offset, RANGE));
            offset += range.length;
            if (offset > limits.maxInputBytes) {
                throw new BatchException(input + " is larger than the limit of " + limits.maxInputBytes + " bytes (JINGNEI_FAQ_MAX_INPUT_BYTES)");
            }
            int start = 0;
            for (int i = 0; i < range.length; i++) {
                if (range[i] == '\n') {
                    pending.write(range, start, i - start);
                    lineNo++;
                    add(questions, lineNo, pending.toString(StandardCharsets.UTF_8), csv, input);
                    pending.reset();
                    start = i + 1;
                }
            }
            pending.write(range, start, range.length - start);
            if (range.length < RANGE) {
                break;
            }
        }
        if (pending.size() > 0) {
            add(questions, lineNo + 1, pending.toString(StandardCharsets.UTF_8), csv, input);
        }
        return questions;
    }

    private void add(List<Question> questions, int lineNo, String rawLine, boolean csv, URI input) {
        String line = rawLine.endsWith("\r") ? rawLine.substring(0, rawLine.length() - 1) : rawLine;
        if (lineNo == 1 && line.startsWith("\uFEFF")) {
            line = line.substring(1);
        }
        if (line.isBlank() || (csv && lineNo == 1 && line.toLowerCase(Locale.ROOT).replace(" ", "").startsWith("id,question"))) {
            return;
        }
        if (questions.size() >= limits.maxQuestions) {
            throw new BatchException(input + " has more than " + limits.maxQuestions + " questions (JINGNEI_FAQ_MAX_QUESTIONS)");
        }
        questions.add(csv ? csvLine(lineNo, line) : jsonLine(lineNo, line));
    }

    private Question jsonLine(int lineNo, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (Exception e) {
            return new Question(lineNo, "line-" + lineNo, null, null, "line " + lineNo + " is not valid JSON");
        }
        String id = node.path("id").isMissingNode() || node.path("id").isNull() ? "line-" + lineNo : node.path("id").asText();
        String text = node.path("question").asText("");
        if (text.isBlank()) {
            return new Question(lineNo, id, null, null, "line " + lineNo + " has no 'question'");
        }
        if (text.length() > limits.maxQuestionChars) {
            return new Question(lineNo, id, null, null, "line " + lineNo + ": question has " + text.length()
                    + " characters; the limit is " + limits.maxQuestionChars);
        }
        String user = node.path("user_id").isTextual() ? node.path("user_id").asText() : null;
        return new Question(lineNo, id, text, user, null);
    }

    private Question csvLine(int lineNo, String line) {
        int comma = line.indexOf(',');
        if (comma < 0) {
            return new Question(lineNo, "line-" + lineNo, null, null, "line " + lineNo + " is not 'id,question'");
        }
        String id = line.substring(0, comma).trim();
        String text = line.substring(comma + 1).trim();
        if (text.startsWith("\"") && text.endsWith("\"") && text.length() >= 2) {
            text = text.substring(1, text.length() - 1).replace("\"\"", "\"");
        }
        if (text.isBlank()) {
            return new Question(lineNo, id, null, null, "line " + lineNo + " has no question");
        }
        if (text.length() > limits.maxQuestionChars) {
            return new Question(lineNo, id, null, null, "line " + lineNo + ": question has " + text.length()
                    + " characters; the limit is " + limits.maxQuestionChars);
        }
        return new Question(lineNo, id, text, null, null);
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : new BatchException(e.getCause().getMessage());
        } catch (Exception e) {
            throw new BatchException("reading the input failed: " + e.getClass().getSimpleName());
        }
    }
}
