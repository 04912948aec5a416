package io.jingnei.fc;

import io.jingnei.core.testing.InstanceProcess;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * What FC's java11 runtime does with a stream handler: one handler object per instance, its
 * initializer once before the first event, then {@code handleRequest(InputStream, OutputStream, Context)}.
 */
public final class FcRuntime implements InstanceProcess.Runtime {
    private final Map<String, Object> initialized = new HashMap<>();

    @Override
    public String invoke(ClassLoader function, String handler, String eventType, byte[] event) throws Exception {
        Object instance = initialized.get(handler);
        if (instance == null) {
            instance = function.loadClass(handler).getDeclaredConstructor().newInstance();
            initialize(function, instance, "init-" + simpleName(handler));
            initialized.put(handler, instance);
        }
        return handle(function, instance, event, "req-" + simpleName(handler));
    }

    /** Calls the handler's initializer, as FC does once per instance. */
    static void initialize(ClassLoader function, Object handler, String requestId) throws Exception {
        Class<?> contextType = function.loadClass("com.aliyun.fc.runtime.Context");
        handler.getClass().getMethod("initialize", contextType).invoke(handler, context(function, requestId));
    }

    /** One event; what the handler wrote. */
    static String handle(ClassLoader function, Object handler, byte[] event, String requestId) throws Exception {
        Class<?> contextType = function.loadClass("com.aliyun.fc.runtime.Context");
        Method handle = handler.getClass().getMethod("handleRequest", InputStream.class, OutputStream.class, contextType);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handle.invoke(handler, new ByteArrayInputStream(event), out, context(function, requestId));
        return out.toString(StandardCharsets.UTF_8);
    }

    static Object context(ClassLoader function, String requestId) throws Exception {
        Class<?> contextType = function.loadClass("com.aliyun.fc.runtime.Context");
        return Proxy.newProxyInstance(function, new Class<?>[] {contextType}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "getRequestId": return requestId;
                case "getRetryCount": return 0;
                default: return null;
            }
        });
    }

    private static String simpleName(String handler) {
        return handler.substring(handler.lastIndexOf('.') + 1);
    }
}
