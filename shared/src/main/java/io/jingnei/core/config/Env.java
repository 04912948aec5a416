package io.jingnei.core.config;

import java.util.Map;
import java.util.Optional;

/**
 * The one place configuration is read from. Production reads the process environment (or the
 * platform's config system); tests hand in a map. Blank values count as absent.
 */
@FunctionalInterface
public interface Env {

    Optional<String> raw(String name);

    default Optional<String> get(String name) {
        return raw(name).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The process environment, then Java system properties of the same name ({@code -DJINGNEI_...}). */
    static Env system() {
        return name -> {
            String value = System.getenv(name);
            return Optional.ofNullable(value != null ? value : System.getProperty(name));
        };
    }

    static Env of(Map<String, String> values) {
        return name -> Optional.ofNullable(values.get(name));
    }

    /** Values from {@code first} win; {@code fallback} fills the rest. */
    default Env orElse(Env fallback) {
        return name -> {
            Optional<String> own = get(name);
            return own.isPresent() ? own : fallback.get(name);
        };
    }
}
