package io.jingnei.scf;

import io.jingnei.core.testing.InstanceProcess;

import java.lang.reflect.Proxy;

/**
 * What SCF's Java11 runtime does with a handler {@code Class::handle}: binds the event to the
 * method's parameter type (here by the package's own Jackson, matching names without regard to
 * case and ignoring unknown ones, as the runtime does), calls it with a Context, and serialises what
 * it returns (a String as it is).
 */
public final class ScfRuntime implements InstanceProcess.Runtime {

    @Override
    public String invoke(ClassLoader function, String handler, String eventType, byte[] event) throws Exception {
        return call(function, handler, eventType, event, "scf-" + handler.substring(handler.lastIndexOf('.') + 1));
    }

    static String call(ClassLoader function, String handler, String eventType, byte[] event, String requestId) throws Exception {
        Class<?> mapperType = function.loadClass("com.fasterxml.jackson.databind.ObjectMapper");
        Object mapper = mapperType.getDeclaredConstructor().newInstance();
        Class<?> feature = function.loadClass("com.fasterxml.jackson.databind.MapperFeature");
        Class<?> deserialization = function.loadClass("com.fasterxml.jackson.databind.DeserializationFeature");
        mapperType.getMethod("configure", feature, boolean.class).invoke(mapper, enumValue(feature, "ACCEPT_CASE_INSENSITIVE_PROPERTIES"), true);
        mapperType.getMethod("configure", deserialization, boolean.class).invoke(mapper, enumValue(deserialization, "FAIL_ON_UNKNOWN_PROPERTIES"), false);
        Class<?> type = function.loadClass(eventType);
        Object input = mapperType.getMethod("readValue", byte[].class, Class.class).invoke(mapper, event, type);
        Class<?> contextType = function.loadClass("com.qcloud.scf.runtime.Context");
        Object context = Proxy.newProxyInstance(function, new Class<?>[] {contextType}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "getRequestId": return requestId;
                case "getTimeLimitInMs": return 900_000;
                case "getMemoryLimitInMb": return 2048;
                default: return null;
            }
        });
        Class<?> handlerType = function.loadClass(handler);
        Object result = handlerType.getMethod("handle", type, contextType).invoke(handlerType.getDeclaredConstructor().newInstance(), input, context);
        return result instanceof String ? (String) result : (String) mapperType.getMethod("writeValueAsString", Object.class).invoke(mapper, result);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> type, String name) {
        return Enum.valueOf((Class<? extends Enum>) type, name);
    }
}
