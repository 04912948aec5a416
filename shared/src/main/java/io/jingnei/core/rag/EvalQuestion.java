package io.jingnei.core.rag;

import com.fasterxml.jackson.databind.JsonNode;
import io.jingnei.core.llm.ChatMessage;
import io.jingnei.core.text.JsonLines;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One line of an evaluation file: {@code {"q": ..., "expected": [ids]}} for a question the
 * knowledge base answers, or {@code {"q": ..., "near": true|false}} for one it does not
 * ({@code near}: from the knowledge base's own domain; optional). A conversation is
 * {@code {"turns": [{"role", "content"}, ...], "expected": [ids]}}: its last turn is the user's
 * question, the turns before it its history, and {@code "expected": []} marks a follow-up that no
 * article answers.
 */
public final class EvalQuestion {
    public final String question;
    /** Document ids that answer it; empty for an out-of-scope question. */
    public final Set<String> expected;
    public final Boolean near;
    /** Free label carried into the report (the dev set's {@code kind}); may be null. */
    public final String kind;
    /** The turns before the question (a conversation's); empty for a single question. */
    public final List<ChatMessage> history;

    public EvalQuestion(String question, Set<String> expected, Boolean near, String kind) {
        this(question, expected, near, kind, List.of());
    }

    public EvalQuestion(String question, Set<String> expected, Boolean near, String kind, List<ChatMessage> history) {
        this.question = question;
        this.expected = expected;
        this.near = near;
        this.kind = kind;
        this.history = history;
    }

    public boolean inScope() {
        return !expected.isEmpty();
    }

    /** Parses JSONL; {@code outOfScope}: every line is out of scope whatever it says. */
    public static List<EvalQuestion> parse(String jsonl, boolean outOfScope, String name) {
        List<EvalQuestion> questions = new ArrayList<>();
        for (JsonLines.Line line : JsonLines.parse(jsonl)) {
            if (!line.isJson()) {
                throw new IllegalArgumentException(name + " " + line.problem());
            }
            JsonNode node = line.node;
            String where = name + " line " + line.number;
            String kind = node.path("kind").isTextual() ? node.path("kind").asText() : null;
            if (node.has("turns")) {
                questions.add(conversation(node, outOfScope, kind, where));
                continue;
            }
            String q = node.path("q").asText(node.path("query").asText(""));
            if (q.isBlank()) {
                throw new IllegalArgumentException(where + " has no 'q'");
            }
            Set<String> expected = new TreeSet<>();
            if (!outOfScope) {
                node.path("expected").forEach(id -> expected.add(id.asText()));
                if (expected.isEmpty()) {
                    throw new IllegalArgumentException(where + " has no 'expected' ids");
                }
            }
            Boolean near = node.has("near") ? node.path("near").asBoolean() : null;
            questions.add(new EvalQuestion(q, expected, near, kind));
        }
        return questions;
    }

    private static EvalQuestion conversation(JsonNode node, boolean outOfScope, String kind, String where) {
        List<ChatMessage> turns = new ArrayList<>();
        for (JsonNode turn : node.path("turns")) {
            String role = turn.path("role").asText("");
            if (!("user".equals(role) || "assistant".equals(role)) || !turn.path("content").isTextual()) {
                throw new IllegalArgumentException(where + " has a turn that is not {\"role\": \"user\" or \"assistant\", \"content\": \"...\"}");
            }
            turns.add(new ChatMessage(role, turn.path("content").asText()));
        }
        if (turns.isEmpty() || !"user".equals(turns.get(turns.size() - 1).role) || turns.get(turns.size() - 1).content.isBlank()) {
            throw new IllegalArgumentException(where + " must end with the user's question");
        }
        if (!outOfScope && !node.path("expected").isArray()) {
            throw new IllegalArgumentException(where + " has no 'expected' list ([] for a follow-up no article answers)");
        }
        Set<String> expected = new TreeSet<>();
        if (!outOfScope) {
            node.path("expected").forEach(id -> expected.add(id.asText()));
        }
        return new EvalQuestion(turns.get(turns.size() - 1).content, expected, null, kind, List.copyOf(turns.subList(0, turns.size() - 1)));
    }
}
