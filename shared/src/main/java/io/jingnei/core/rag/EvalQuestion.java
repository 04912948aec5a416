package io.jingnei.core.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One line of an evaluation file: {@code {"q": ..., "expected": [ids]}} for a question the
 * knowledge base answers, or {@code {"q": ..., "near": true|false}} for one it does not
 * ({@code near}: from the knowledge base's own domain; optional).
 */
public final class EvalQuestion {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final String question;
    /** Document ids that answer it; empty for an out-of-scope question. */
    public final Set<String> expected;
    public final Boolean near;
    /** Free label carried into the report (the dev set's {@code kind}); may be null. */
    public final String kind;

    public EvalQuestion(String question, Set<String> expected, Boolean near, String kind) {
        this.question = question;
        this.expected = expected;
        this.near = near;
        this.kind = kind;
    }

    public boolean inScope() {
        return !expected.isEmpty();
    }

    /** Parses JSONL; {@code outOfScope}: every line is out of scope whatever it says. */
    public static List<EvalQuestion> parse(String jsonl, boolean outOfScope, String name) {
        List<EvalQuestion> questions = new ArrayList<>();
        String[] lines = jsonl.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(lines[i]);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(name + " line " + (i + 1) + " is not valid JSON");
            }
            String q = node.path("q").asText(node.path("query").asText(""));
            if (q.isBlank()) {
                throw new IllegalArgumentException(name + " line " + (i + 1) + " has no 'q'");
            }
            Set<String> expected = new TreeSet<>();
            if (!outOfScope) {
                node.path("expected").forEach(id -> expected.add(id.asText()));
                if (expected.isEmpty()) {
                    throw new IllegalArgumentException(name + " line " + (i + 1) + " has no 'expected' ids");
                }
            }
            Boolean near = node.has("near") ? node.path("near").asBoolean() : null;
            questions.add(new EvalQuestion(q, expected, near, node.path("kind").isTextual() ? node.path("kind").asText() : null));
        }
        return questions;
    }
}
