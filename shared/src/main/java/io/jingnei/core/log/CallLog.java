package io.jingnei.core.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One JSON object per line for every call, so SLS and CLS can index the fields. Never given a key;
 * prompt text only when JINGNEI_LOG_PROMPTS is on.
 */
public final class CallLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Consumer<String> sink;

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
        try {
            sink.accept(JSON.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            sink.accept("{\"level\":\"ERROR\",\"msg\":\"cannot write event\"}");
        }
    }

    public void write(CallRecord record) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("ts", Instant.now().toString());
        line.put("level", record.status.equals("success") || record.status.equals("no_context") ? "INFO" : "WARN");
        line.putAll(record.fields());
        try {
            sink.accept(JSON.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            sink.accept("{\"level\":\"ERROR\",\"msg\":\"cannot write call log\"}");
        }
    }
}
