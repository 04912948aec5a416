package io.jingnei.scf;

import com.qcloud.services.scf.runtime.events.APIGatewayProxyRequestEvent;
import com.qcloud.services.scf.runtime.events.CosEvent;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import io.jingnei.core.architecture.AdapterRules;
import io.jingnei.core.entry.FunctionSpec;
import io.jingnei.core.entry.FunctionSpec.Trigger;
import io.jingnei.core.entry.Functions;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SCF handlers and the core's table of functions agree, trigger by trigger: each handler serves
 * one entry of the table for the trigger its event class says, and every (function, trigger) pair
 * of the table has a handler. {@link EventHandler}, the one handler for every trigger, routes by the
 * table itself and hands events to these.
 */
class HandlersAgreeWithTheTableTest {
    private static final Map<Class<?>, Trigger> TRIGGER_OF_EVENT = Map.of(
            APIGatewayProxyRequestEvent.class, Trigger.HTTP,
            CosEvent.class, Trigger.OBJECT_CREATED,
            ScfTimerEvent.class, Trigger.TIMER);

    @Test
    void every_handler_serves_a_function_and_trigger_of_the_table_and_back() throws Exception {
        Set<String> served = new TreeSet<>();
        for (JavaClass type : AdapterRules.adapterClasses("io.jingnei.scf")) {
            // The two routers, one per function deployed on SCF: they hand each event to the handlers checked here.
            if (type.reflect() == EventHandler.class || type.reflect() == IndexBuildEventHandler.class) {
                continue;
            }
            for (JavaMethod method : type.getMethods()) {
                if (method.getName().equals("handle") && method.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC)) {
                    FunctionSpec<?> function = (FunctionSpec<?>) type.reflect().getDeclaredField("FUNCTION").get(null);
                    assertThat(Functions.all()).as(type.getSimpleName()).contains(function);
                    Trigger trigger = TRIGGER_OF_EVENT.get(method.getRawParameterTypes().get(0).reflect());
                    assertThat(trigger).as(type.getSimpleName()).isNotNull();
                    served.add(function.name + " " + trigger);
                }
            }
        }
        Set<String> table = new TreeSet<>();
        Functions.all().forEach(function -> function.triggers.forEach(trigger -> table.add(function.name + " " + trigger)));
        assertThat(served).isEqualTo(table);
    }
}
