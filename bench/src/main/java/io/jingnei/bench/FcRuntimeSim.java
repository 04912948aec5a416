package io.jingnei.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Loads an FC java11 code package the way the runtime does (package root and lib/*.jar in a class
 * loader of their own), runs the initializer and one invocation, prints what the handler wrote and
 * how long each step took. Its own class path holds nothing but this class:
 * {@code FcRuntimeSim [--warm-with=<package dir>,<handler class>,<event file>] <package dir> <handler class> <event file>}.
 * With {@code --warm-with} that package is loaded and invoked first, in a loader of its own: FC's
 * runtime JVM is already up when it loads a function's package, so the timed part is what a new
 * instance pays in a warm JVM (our classes are all new; the JDK's basics are loaded).
 */
public final class FcRuntimeSim {
    /** CPU time of every thread of this JVM (JIT and GC included): steadier than wall time on a shared machine. */
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        int first = 0;
        if (args[0].startsWith("--warm-with=")) {
            String[] warm = args[0].substring("--warm-with=".length()).split(",");
            invoke(warm[0], warm[1], warm[2]);
            first = 1;
        }
        long cpuBefore = CPU.getProcessCpuTime();
        Invocation timed = invoke(args[first], args[first + 1], args[first + 2]);
        double cpuMs = (CPU.getProcessCpuTime() - cpuBefore) / 1e6;
        System.out.println(String.format(Locale.ROOT, "TIMING load_ms=%.2f initialize_ms=%.2f first_answer_ms=%.2f total_ms=%.2f cpu_ms=%.2f",
                timed.loadMs, timed.initializeMs, timed.answerMs, timed.loadMs + timed.initializeMs + timed.answerMs, cpuMs));
        System.out.println("ANSWERED " + timed.answer);
        System.exit(0);
    }

    private static Invocation invoke(String packageDir, String handler, String eventFile) throws Exception {
        byte[] event = Files.readAllBytes(Path.of(eventFile));
        long start = System.nanoTime();
        ClassLoader loader = loader(Path.of(packageDir));
        Class<?> contextType = loader.loadClass("com.aliyun.fc.runtime.Context");
        Object context = Proxy.newProxyInstance(loader, new Class<?>[] {contextType},
                (proxy, method, a) -> method.getName().equals("getRequestId") ? "bench" : method.getName().equals("getRetryCount") ? 0 : null);
        Class<?> type = loader.loadClass(handler);
        Object function = type.getDeclaredConstructor().newInstance();
        long loaded = System.nanoTime();
        type.getMethod("initialize", contextType).invoke(function, context);
        long initialized = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        type.getMethod("handleRequest", InputStream.class, OutputStream.class, contextType)
                .invoke(function, new ByteArrayInputStream(event), out, context);
        long answered = System.nanoTime();
        return new Invocation((loaded - start) / 1e6, (initialized - loaded) / 1e6, (answered - initialized) / 1e6,
                out.toString(StandardCharsets.UTF_8));
    }

    private static ClassLoader loader(Path root) throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(root.toUri().toURL());
        try (Stream<Path> jars = Files.list(root.resolve("lib"))) {
            for (Path jar : (Iterable<Path>) jars.sorted()::iterator) {
                urls.add(jar.toUri().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    }

    private static final class Invocation {
        final double loadMs;
        final double initializeMs;
        final double answerMs;
        final String answer;

        Invocation(double loadMs, double initializeMs, double answerMs, String answer) {
            this.loadMs = loadMs;
            this.initializeMs = initializeMs;
            this.answerMs = answerMs;
            this.answer = answer;
        }
    }
}
