package io.jingnei.core.rag;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.llm.ChatMessage;
import io.jingnei.core.llm.CompletionOutcome;
import io.jingnei.core.llm.Completions;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.pricing.Usage;
import io.jingnei.core.util.TimeSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * {@code JINGNEI_RAG_REWRITE=llm}: before a follow-up is searched, one small LLM call rewrites it
 * into a standalone question ("信用卡呢？" after "借记卡丢了怎么办" → "信用卡丢了怎么办"), which is then
 * searched as a single question. Optional and never required: off by default, off without an LLM,
 * and any failure, timeout or unusable output falls back to {@link FollowUpSearch} on the question
 * as asked, noted only in the log line ({@code rewrite}). The call goes through {@link Completions}
 * like the answer's (masking, routing, charging the caller) under the function name
 * {@code rag-rewrite} and the request's id, with its own log line; the rewritten question itself is
 * never logged (it may carry personal data the masking restored). Thread-safe.
 */
public final class FollowUpRewrite {
    static final String SYSTEM_PROMPT = "你是客服对话的问题改写助手。请结合对话，把用户最后的问题改写成一个不看对话也能看懂的完整问题，"
            + "补全省略的主语、对象和条件。只输出改写后的问题，不要回答，不要解释。";
    static final int MAX_TOKENS = 64;
    /** A standalone customer question is rarely longer; more is an answer or an explanation, not a rewrite. */
    static final int MAX_CHARS = 100;
    /** An assistant turn is cut to this many characters in the prompt: its topic is what the rewrite needs, not its details. */
    static final int ASSISTANT_CHARS = 120;
    /** Labels a model may put before its rewrite despite the prompt. */
    private static final Pattern LABEL = Pattern.compile("^(改写后的问题|改写后|改写|问题|独立问题|standalone question)\\s*[:：]\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern QUOTES = Pattern.compile("^[\"'“”‘’「」『』《》]+|[\"'“”‘’「」『』《》]+$");
    private static final Pattern WORDS = Pattern.compile("[\\p{IsHan}\\p{L}\\p{N}]");

    /** What became of one follow-up's rewrite. */
    public static final class Outcome {
        static final Outcome NOT_ASKED = new Outcome(null, null, 0, null);

        /** The standalone question; null when search goes on without one. */
        public final String question;
        /** For the log: {@code used}, or why not ({@code timeout}, {@code failed}, {@code empty}, {@code overlong}, {@code garbage}); null: not asked. */
        public final String status;
        public final long ms;
        /** What the rewrite call reported using (null when it gave no answer: its own log line has the charge). */
        public final Usage usage;

        Outcome(String question, String status, long ms, Usage usage) {
            this.question = question;
            this.status = status;
            this.ms = ms;
            this.usage = usage;
        }

        public boolean used() {
            return question != null;
        }
    }

    private final Completions completions;
    private final boolean on;
    private final Optional<String> model;
    private final Duration timeout;
    private final int historyTurns;
    private final TimeSource time;

    FollowUpRewrite(Completions completions, RagConfig config, boolean llmConfigured, int historyTurns, CallLog log, TimeSource time) {
        this.completions = completions;
        this.time = time;
        this.on = config.rewriteWithLlm && llmConfigured && historyTurns > 0;
        this.model = config.rewriteModel;
        this.timeout = config.rewriteTimeout;
        this.historyTurns = historyTurns;
        if (config.rewriteWithLlm && !on) {
            log.event("JINGNEI_RAG_REWRITE=llm is off: " + (llmConfigured ? "JINGNEI_HISTORY_TURNS is 0" : "no LLM is configured")
                    + "; follow-ups are searched with the conversation, without a rewrite", Map.of("level_hint", "WARN"));
        }
    }

    public boolean on() {
        return on;
    }

    /**
     * The rewrite of the request's last question, when it is on and the question has an earlier user
     * turn ({@code earlier} not empty). Never fails; completes on the HTTP client's or the timer's
     * thread, so whoever continues with CPU work moves to a worker.
     */
    CompletableFuture<Outcome> rewrite(RagRequest request, String earlier, String answerModel, CallContext call) {
        if (!on || earlier.isEmpty()) {
            return CompletableFuture.completedFuture(Outcome.NOT_ASKED);
        }
        CallContext step = call.forFunction("rag-rewrite", call.requestId);
        call.trace.onCancel(step.trace::cancel);
        ObjectNode body = body(request.history, request.query, historyTurns);
        body.put("model", model.orElse(answerModel));
        long start = time.nanoTime();
        CompletableFuture<CompletionOutcome> asked = completions.complete(body, step);
        time.delay(timeout).thenRun(() -> asked.completeExceptionally(new TimeoutException("no rewrite within " + timeout)));
        return asked.handle((answer, error) -> {
            long ms = (time.nanoTime() - start) / 1_000_000;
            Outcome outcome;
            if (error != null) {
                boolean late = JingneiException.unwrap(error) instanceof TimeoutException;
                if (late) {
                    step.trace.cancel(); // aborts the exchange; the rewrite's line says cancelled, with the prompt charged
                }
                outcome = new Outcome(null, late ? "timeout" : "failed", ms, null);
            } else {
                String finish = answer.response.path("choices").path(0).path("finish_reason").asText("");
                String text = "length".equals(finish) ? null : standalone(answer.content());
                outcome = new Outcome(text, text != null ? "used" : "length".equals(finish) ? "overlong" : refused(answer.content()), ms,
                        answer.usage);
            }
            call.note("rewrite", outcome.status);
            call.note("rewrite_ms", ms);
            call.note("rewrite_tokens", outcome.usage == null ? null : outcome.usage.totalTokens);
            return outcome;
        });
    }

    /**
     * The rewrite request: the short instruction, then the last turns (as the answer prompt keeps
     * them, assistant turns cut) and the question in one user message. Visible for tests.
     */
    static ObjectNode body(List<ChatMessage> history, String question, int historyTurns) {
        StringBuilder conversation = new StringBuilder("对话：\n");
        for (ChatMessage turn : ChatMessage.recent(history, historyTurns)) {
            String text = turn.content.strip();
            if ("assistant".equals(turn.role) && text.length() > ASSISTANT_CHARS) {
                text = text.substring(0, ASSISTANT_CHARS) + "…";
            }
            conversation.append("user".equals(turn.role) ? "用户：" : "客服：").append(text).append('\n');
        }
        conversation.append("\n用户最后的问题：").append(question.strip());
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", SYSTEM_PROMPT);
        messages.addObject().put("role", "user").put("content", conversation.toString());
        body.put("max_tokens", MAX_TOKENS);
        body.put("temperature", 0);
        return body;
    }

    /** The model's answer as one standalone question, or null when it is not one. */
    static String standalone(String content) {
        if (content == null) {
            return null;
        }
        String text = QUOTES.matcher(LABEL.matcher(content.strip()).replaceFirst("").strip()).replaceAll("").strip();
        if (text.isEmpty() || text.length() > MAX_CHARS || text.contains("\n") || text.contains(RagPrompt.NO_ANSWER_MARKER)
                || !WORDS.matcher(text).find()) {
            return null;
        }
        return text;
    }

    /** Why {@link #standalone} turned an answer away, for the log. */
    private static String refused(String content) {
        String text = content == null ? "" : content.strip();
        if (text.isEmpty()) {
            return "empty";
        }
        return text.length() > MAX_CHARS ? "overlong" : "garbage";
    }
}
