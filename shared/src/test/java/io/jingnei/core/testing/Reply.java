package io.jingnei.core.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** One scripted answer of {@link FakeUpstream}, in the OpenAI wire format unless it is meant to be broken. */
public final class Reply {
    enum Kind { BODY, SSE, RESET, HANG, ECHO }

    final Kind kind;
    final int status;
    final String body;
    final Map<String, String> headers = new LinkedHashMap<>();
    final List<String> events;
    final long delayMillis;
    /** For SSE: reset the connection after this many events (-1: end normally). */
    final int resetAfter;
    /** For SSE: before this event, go silent for {@link #stallMillis} (-1: never). */
    int stallAt = -1;
    long stallMillis;
    /** For SSE with {@link #resetAfter}: how long the client gets to read what was sent before the reset. */
    long readBeforeResetMillis = 100;
    /** Wait this long after reading the request before answering (a slow upstream). */
    long answerDelayMillis;
    /** When set, the answer waits until this counts down instead (a test decides when the upstream is done thinking). */
    CountDownLatch release;

    private Reply(Kind kind, int status, String body, List<String> events, long delayMillis, int resetAfter) {
        this.kind = kind;
        this.status = status;
        this.body = body;
        this.events = events;
        this.delayMillis = delayMillis;
        this.resetAfter = resetAfter;
    }

    public static Reply json(int status, String body) {
        return new Reply(Kind.BODY, status, body, List.of(), 0, -1).header("Content-Type", "application/json");
    }

    public static Reply completion(String content, int promptTokens, int completionTokens) {
        return json(200, "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1764201600,"
                + "\"model\":\"deepseek-v3.2\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + quote(content) + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" + promptTokens
                + ",\"completion_tokens\":" + completionTokens + ",\"total_tokens\":" + (promptTokens + completionTokens) + "}}");
    }

    public static Reply error(int status, String type, String code, String message) {
        return json(status, "{\"error\":{\"message\":" + quote(message) + ",\"type\":\"" + type + "\",\"code\":"
                + (code == null ? "null" : "\"" + code + "\"") + "}}");
    }

    public static Reply rateLimited(String retryAfterSeconds) {
        return error(429, "rate_limit_error", "rate_limit_exceeded", "Rate limit reached, slow down").header("Retry-After", retryAfterSeconds);
    }

    /** A stream of content deltas, a usage chunk, and [DONE]; {@code delayMillis} before each event. */
    public static Reply stream(long delayMillis, String... deltas) {
        List<String> events = new ArrayList<>();
        events.add(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
        for (String delta : deltas) {
            events.add(chunk("{\"content\":" + quote(delta) + "}", null));
        }
        events.add(chunk("{}", "stop"));
        events.add("{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1764201600,\"model\":\"deepseek-v3.2\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":" + deltas.length + ",\"total_tokens\":" + (20 + deltas.length) + "}}");
        events.add("[DONE]");
        return sse(events, delayMillis, -1);
    }

    public static Reply sse(List<String> events, long delayMillis, int resetAfter) {
        return new Reply(Kind.SSE, 200, null, events, delayMillis, resetAfter).header("Content-Type", "text/event-stream");
    }

    /** The same stream, but the connection is reset after {@code events} events. */
    public Reply resetAfter(int events) {
        return new Reply(Kind.SSE, 200, null, this.events, delayMillis, events).header("Content-Type", "text/event-stream");
    }

    /**
     * The same, waiting {@code readMillis} (100 by default) before the reset so the client can read
     * what was sent: a reset discards what it has not read yet. Under load, give it longer.
     */
    public Reply resetAfter(int events, long readMillis) {
        Reply reply = resetAfter(events);
        reply.readBeforeResetMillis = readMillis;
        return reply;
    }

    /**
     * The same answer (whole or streamed), sent {@code millis} after the request was read: an
     * upstream that takes its time. A client that leaves meanwhile is noticed ({@link FakeUpstream#awaitClientDisconnects}).
     */
    public Reply after(long millis) {
        this.answerDelayMillis = millis;
        return this;
    }

    /**
     * The same answer, held back until {@code release} counts down: the upstream has the request
     * and is working on it for as long as the test needs, with no sleep racing the test. A client
     * that leaves meanwhile is noticed and ends the wait ({@link FakeUpstream#awaitClientDisconnects}).
     */
    public Reply heldUntil(CountDownLatch release) {
        this.release = release;
        return this;
    }

    /** The same stream, going silent for {@code millis} before event number {@code event}. */
    public Reply stallBefore(int event, long millis) {
        this.stallAt = event;
        this.stallMillis = millis;
        return this;
    }

    /**
     * Answers with the text of the last user message it received (what the upstream saw), whole or,
     * with {@code pieceChars > 0}, streamed in pieces of that many characters.
     */
    public static Reply echo(int pieceChars) {
        return new Reply(Kind.ECHO, 200, null, List.of(), pieceChars, -1);
    }

    public static Reply reset() {
        return new Reply(Kind.RESET, 0, null, List.of(), 0, -1);
    }

    /** Reads the request, then says nothing for {@code millis}, then closes. */
    public static Reply hang(long millis) {
        return new Reply(Kind.HANG, 0, null, List.of(), millis, -1);
    }

    public Reply header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    static String chunk(String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1764201600,\"model\":\"deepseek-v3.2\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                default: out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
