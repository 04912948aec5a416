package io.jingnei.core.util;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * The core's one configured Jackson mapper: Jackson's defaults (unknown properties in a stored
 * file such as an index pointer or a batch state fail loudly). An {@code ObjectMapper} is
 * thread-safe once configured, and building one costs class loading and caches, so the core
 * shares this one; it is made on first use, not at boot. Request bodies have their own bounded
 * mapper, {@code request.RequestBodies}; the Quarkus app keeps Quarkus' own mapper.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** Never reconfigure it: every class of the core shares it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Indented output, for files and reports people read. */
    public static ObjectWriter pretty() {
        return MAPPER.writerWithDefaultPrettyPrinter();
    }
}
