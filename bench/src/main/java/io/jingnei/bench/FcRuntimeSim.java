package io.jingnei.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads an FC java11 code package the way the runtime does (package root and lib/*.jar in a class
 * loader of their own), runs the initializer and one invocation, prints what the handler wrote.
 * Its own class path holds nothing but this class: {@code FcRuntimeSim <package dir> <handler class> <event file>}.
 */
public final class FcRuntimeSim {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        List<URL> urls = new ArrayList<>();
        urls.add(root.toUri().toURL());
        try (Stream<Path> jars = Files.list(root.resolve("lib"))) {
            for (Path jar : (Iterable<Path>) jars.sorted()::iterator) {
                urls.add(jar.toUri().toURL());
            }
        }
        ClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
        Class<?> contextType = loader.loadClass("com.aliyun.fc.runtime.Context");
        Object context = Proxy.newProxyInstance(loader, new Class<?>[] {contextType},
                (proxy, method, a) -> method.getName().equals("getRequestId") ? "bench" : method.getName().equals("getRetryCount") ? 0 : null);
        Class<?> type = loader.loadClass(args[1]);
        Object handler = type.getDeclaredConstructor().newInstance();
        type.getMethod("initialize", contextType).invoke(handler, context);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        type.getMethod("handleRequest", InputStream.class, OutputStream.class, contextType)
                .invoke(handler, new ByteArrayInputStream(Files.readAllBytes(Path.of(args[2]))), out, context);
        System.out.println("ANSWERED " + out.toString(java.nio.charset.StandardCharsets.UTF_8));
        System.exit(0);
    }
}
