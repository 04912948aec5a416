package io.jingnei.core.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

import java.io.IOException;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Binds a function's JSON body, turning every way it can be wrong into an {@code invalid_request}
 * that names the field and what it should be. Nesting is capped far below Jackson's default, so a
 * small body of thousands of nested arrays is a 400, not a stack to unwind. The Funqy app binds
 * with its own mapper (given the same constraints) and asks this reader to explain a body it
 * rejected, so the messages are the same on every platform.
 */
public final class RequestBodies {
    /** Deep enough for any real request (OpenAI tool schemas nest a dozen levels at most). */
    public static final int MAX_NESTING = 64;
    public static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING)
            .maxStringLength(64 << 20)
            .maxNumberLength(100)
            .build();
    private static final ObjectMapper JSON = mapper();

    private RequestBodies() {
    }

    /**
     * The core's one bounded mapper. An adapter that binds bodies itself (the Quarkus app's
     * Funqy) gives its own mapper {@link #CONSTRAINTS} instead of a second copy of this one.
     */
    private static ObjectMapper mapper() {
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build();
        return new ObjectMapper(factory).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public static <T> T read(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw invalid("request body is empty; send a JSON object such as {\"query\": \"...\"}");
        }
        try {
            T value = JSON.readValue(body, type);
            if (value == null) {
                throw invalid("request body must be a JSON object");
            }
            return value;
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw invalid(field.isEmpty() ? "request body must be a JSON object"
                    : "field '" + field + "' has the wrong type: expected " + describe(e.getTargetType()));
        } catch (JsonProcessingException e) {
            throw explain(e);
        } catch (IOException e) {
            throw invalid("request body cannot be read");
        }
    }

    /** A JSON object body, for routes that pass it through (the OpenAI surface). */
    public static ObjectNode readObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw invalid("request body is empty; send a JSON object");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw explain(e);
        } catch (IOException e) {
            throw invalid("request body cannot be read");
        }
        if (node == null || !node.isObject()) {
            throw invalid("request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Says what is wrong with unparseable JSON; the location is absent for constraint violations. */
    /**
     * A trigger event's body: base64-decoded when the event says so (FC HTTP triggers, API Gateway),
     * else its UTF-8 bytes. Bad base64 is the caller's invalid_request, never a bare exception.
     */
    public static byte[] eventBody(String body, boolean base64) {
        String text = body == null ? "" : body;
        if (!base64) {
            return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        try {
            return java.util.Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new JingneiException(ErrorKind.INVALID_REQUEST, "the event says its body is base64, but it is not valid base64");
        }
    }

    public static JingneiException explain(JsonProcessingException e) {
        Throwable cause = e;
        while (cause != null && !(cause instanceof StreamConstraintsException)) {
            cause = cause.getCause();
        }
        if (cause != null) {
            return invalid("request body is nested too deeply or has an oversized value (at most " + MAX_NESTING + " levels)");
        }
        if (e.getLocation() == null) {
            return invalid("request body is not valid JSON");
        }
        return invalid("request body is not valid JSON (line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr() + ")");
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "an object";
    }

    private static JingneiException invalid(String message) {
        return new JingneiException(ErrorKind.INVALID_REQUEST, message);
    }
}
