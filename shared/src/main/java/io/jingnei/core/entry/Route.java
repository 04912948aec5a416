package io.jingnei.core.entry;

import java.util.Set;

/** A path an adapter answers: its methods, who may call it, and the function behind it when it is one of {@link Functions}. */
public final class Route {
    private static final Set<String> POST = Set.of("POST");
    private static final Set<String> GET = Set.of("GET", "HEAD");

    public final String path;
    public final Set<String> methods;
    public final Access access;
    /** Null for a route the web function answers through its own surface (OpenAI, pages, FC's control paths). */
    public final FunctionSpec<?> function;

    private Route(String path, Set<String> methods, Access access, FunctionSpec<?> function) {
        this.path = path;
        this.methods = methods;
        this.access = access;
        this.function = function;
    }

    static Route of(FunctionSpec<?> function) {
        return new Route(function.path, POST, function.access, function);
    }

    static Route post(String path, Access access) {
        return new Route(path, POST, access, null);
    }

    /** GET, and HEAD with it. */
    static Route get(String path, Access access) {
        return new Route(path, GET, access, null);
    }

    public boolean post() {
        return methods.contains("POST");
    }

    /** {@code method} as the HTTP request line spells it. */
    public boolean allows(String method) {
        return methods.contains(method);
    }

    @Override
    public String toString() {
        return methods + " " + path;
    }
}
