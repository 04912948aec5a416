package io.jingnei.web;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import io.jingnei.core.architecture.AdapterRules;
import io.jingnei.core.entry.FunctionSpec;
import io.jingnei.core.entry.Functions;
import io.jingnei.core.entry.Route;
import io.quarkus.funqy.Funq;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the web function serves and the core's table ({@link Functions}) agree: every Vert.x route
 * and every Funqy function is a route of the table with its method, and every route of the table is
 * served. Found by reflection, so a route added to the app alone, or to the table alone, fails here.
 */
class RoutesAgreeWithTheTableTest {
    /** They observe the router but add no path: the gate runs before every route, the error handler after. */
    private static final Set<Class<?>> PATHLESS = Set.of(AccessGate.class, FunctionErrors.class);
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void every_served_route_is_in_the_table_and_every_table_route_is_served() throws Exception {
        Router router = Router.router(vertx);
        Set<String> served = new TreeSet<>();
        for (JavaClass type : AdapterRules.adapterClasses("io.jingnei.web")) {
            for (JavaMethod method : type.getMethods()) {
                if (method.getName().equals("register") && method.getRawParameterTypes().size() == 1
                        && method.getRawParameterTypes().get(0).isEquivalentTo(Router.class)
                        && method.getParameters().get(0).isAnnotatedWith(Observes.class) && !PATHLESS.contains(type.reflect())) {
                    Object routes = type.reflect().getDeclaredConstructor().newInstance();
                    Method register = method.reflect().getDeclaringClass().getDeclaredMethod("register", Router.class);
                    register.setAccessible(true);
                    register.invoke(routes, router);
                }
                if (method.isAnnotatedWith(Funq.class)) {
                    served.add("POST /" + funqyName(method));
                }
            }
        }
        router.getRoutes().stream().filter(route -> route.getName() != null && route.getName().startsWith("/"))
                .forEach(route -> route.methods().forEach(m -> served.add(m.name() + " " + route.getName().replace(":id", "{id}"))));
        Set<String> table = new TreeSet<>();
        for (Route route : Functions.routes()) {
            table.add((route.post() ? "POST " : "GET ") + route.path);
        }
        assertThat(served).isEqualTo(table);
    }

    @Test
    void each_funqy_function_binds_the_body_type_and_answer_the_table_declares() {
        Set<String> bound = new TreeSet<>();
        for (JavaClass type : AdapterRules.adapterClasses("io.jingnei.web")) {
            for (JavaMethod method : type.getMethods()) {
                if (method.isAnnotatedWith(Funq.class)) {
                    Route route = Functions.at("/" + funqyName(method));
                    assertThat(route).as(funqyName(method)).isNotNull();
                    FunctionSpec<?> function = route.function;
                    assertThat(function).as(funqyName(method)).isNotNull();
                    assertThat(function.streamed()).as(function.name).isFalse();
                    assertThat(method.getRawParameterTypes()).as(function.name).hasSize(1);
                    assertThat(method.getRawParameterTypes().get(0).reflect()).as(function.name).isEqualTo(function.bodyType);
                    bound.add(function.name);
                }
            }
        }
        Set<String> replying = new TreeSet<>();
        Functions.all().stream().filter(function -> !function.streamed()).forEach(function -> replying.add(function.name));
        assertThat(bound).isEqualTo(replying);
    }

    private static String funqyName(JavaMethod method) {
        String value = method.getAnnotationOfType(Funq.class).value();
        return value.isEmpty() ? method.getName() : value;
    }
}
