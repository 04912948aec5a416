package io.jingnei.core.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.util.Json;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One JSON object per line, so SLS and CLS index every field. Every line passes the instance's
 * {@link Redactor} last, so a configured secret cannot reach the log even if some text quoted it.
 * Never given a key; prompt text only when JINGNEI_LOG_PROMPTS is on (and then masked).
 */
public final class CallLog {
    private static final ObjectMapper JSON = Json.mapper();
    private static final int MAX_STACK = 4000;
    private final Consumer<String> sink;
    private volatile Redactor redactor = Redactor.patternsOnly();

    public CallLog(Consumer<String> sink) {
        this.sink = sink;
    }

    /** Writes to standard output, where FC and SCF collect function logs. */
    public static CallLog stdout() {
        return new CallLog(line -> {
            synchronized (System.out) {
                System.out.println(line);
            }
        });
    }

    /** Set once at boot, when the configured secrets are known. */
    public void redactWith(Redactor redactor) {
        this.redactor = redactor;
    }

    public Redactor redactor() {
        return redactor;
    }

    /** A lifecycle line (instance ready, a setting to check) in the same JSON shape; "level_hint" sets the level. */
    public void event(String message, Map<String, Object> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("ts", Instant.now().toString());
        line.put("level", fields.getOrDefault("level_hint", "INFO"));
        line.put("msg", message);
        fields.forEach((name, value) -> {
            if (!name.equals("level_hint")) {
                line.put(name, value);
            }
        });
        emit(line, "{\"level\":\"ERROR\",\"msg\":\"cannot write event\"}");
    }

    /** An unexpected failure at an adapter's boundary: logged once, with its stack, as one JSON line. */
    public void error(String message, String requestId, Throwable error) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("ts", Instant.now().toString());
        line.put("level", "ERROR");
        line.put("msg", message);
        line.put("request_id", requestId);
        line.put("error", error.getClass().getName());
        line.put("stack", stackOf(error));
        emit(line, "{\"level\":\"ERROR\",\"msg\":\"cannot write error\"}");
    }

    public void write(CallRecord record) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("ts", Instant.now().toString());
        line.put("level", record.level());
        line.putAll(record.fields());
        emit(line, "{\"level\":\"ERROR\",\"msg\":\"cannot write call log\"}");
    }

    private void emit(Map<String, Object> line, String fallback) {
        try {
            sink.accept(redactor.redact(JSON.writeValueAsString(line)));
        } catch (JsonProcessingException e) {
            sink.accept(fallback);
        }
    }

    static String stackOf(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        String text = out.toString();
        return text.length() > MAX_STACK ? text.substring(0, MAX_STACK) + "…" : text;
    }
}
