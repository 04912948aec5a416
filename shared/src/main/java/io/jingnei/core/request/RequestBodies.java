package io.jingnei.core.request;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.jingnei.core.llm.ErrorKind;
import io.jingnei.core.llm.LlmException;

import java.io.IOException;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Binds a function's JSON body, turning every way it can be wrong into an {@code invalid_request}
 * that names the field and what it should be. The Funqy app binds with its own mapper and asks
 * this reader to explain a body it rejected, so the messages are the same on every platform.
 */
public final class RequestBodies {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private RequestBodies() {
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
            throw invalid("request body is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw invalid("request body cannot be read");
        }
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

    private static LlmException invalid(String message) {
        return new LlmException(ErrorKind.INVALID_REQUEST, message);
    }
}
