package io.jingnei.core.auth;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A request's headers as an adapter hands them to the core; names are case-insensitive. */
@FunctionalInterface
public interface RequestHeaders {

    /** The first value of the header, or null. */
    String get(String name);

    RequestHeaders NONE = name -> null;

    /** From an event's header map (FC, SCF), whatever case its names are in. */
    static RequestHeaders of(Map<String, ?> headers) {
        if (headers == null || headers.isEmpty()) {
            return NONE;
        }
        Map<String, String> folded = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, value) -> {
            if (name != null && value != null) {
                Object first = value instanceof Iterable ? firstOf((Iterable<?>) value) : value;
                if (first != null) {
                    folded.putIfAbsent(name.toLowerCase(Locale.ROOT), first.toString());
                }
            }
        });
        return folded::get;
    }

    private static Object firstOf(Iterable<?> values) {
        for (Object value : values) {
            return value;
        }
        return null;
    }
}
