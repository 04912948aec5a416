package io.jingnei.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.request.RequestBodies;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * The app's ObjectMapper (Funqy binds bodies with a copy of it) gets the core's read constraints:
 * a body of thousands of nested arrays is refused while parsing, as a 400, on every route.
 */
@Singleton
public class JsonLimits implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(RequestBodies.CONSTRAINTS);
    }
}
