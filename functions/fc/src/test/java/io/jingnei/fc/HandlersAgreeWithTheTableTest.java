package io.jingnei.fc;

import com.aliyun.fc.runtime.StreamRequestHandler;
import com.tngtech.archunit.core.domain.JavaClass;
import io.jingnei.core.architecture.AdapterRules;
import io.jingnei.core.entry.FunctionSpec;
import io.jingnei.core.entry.Functions;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The FC handlers and the core's table of functions agree: each handler serves one entry of the
 * table, and every function a built-in runtime trigger reaches has a handler. Found by reflection,
 * so a handler added without its entry, or an entry given a trigger without a handler, fails here.
 */
class HandlersAgreeWithTheTableTest {

    @Test
    void every_handler_serves_a_function_of_the_table_and_every_triggered_function_has_a_handler() throws Exception {
        Set<FunctionSpec<?>> served = new HashSet<>();
        for (JavaClass type : AdapterRules.adapterClasses("io.jingnei.fc")) {
            if (type.isAssignableTo(StreamRequestHandler.class)) {
                FunctionSpec<?> function = (FunctionSpec<?>) type.reflect().getDeclaredField("FUNCTION").get(null);
                assertThat(Functions.all()).as(type.getSimpleName()).contains(function);
                served.add(function);
            }
        }
        assertThat(served).isEqualTo(Functions.all().stream().filter(f -> !f.triggers.isEmpty()).collect(Collectors.toSet()));
    }
}
