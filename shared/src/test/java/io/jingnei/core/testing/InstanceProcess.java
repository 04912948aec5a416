package io.jingnei.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One function instance of a built-in runtime (FC java11, SCF Java11) in a JVM of its own: the
 * packaged code in a class loader of its own, configured by real environment variables, called
 * through a {@link Runtime} that does what the platform's runtime does. A JVM of its own because a
 * JVM loads the tokenizer's native library into one class loader only, and because each instance
 * keeps its boot (and its RAG state) in statics: a second instance with other settings needs a
 * fresh JVM, as on the platform. The instance's log (stdout and stderr) goes to a file; events and
 * replies travel as JSON lines over the process's stdin and its original stdout.
 */
public final class InstanceProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a platform's runtime does with one event: the instance's loader, the handler class, the event type, the event's bytes. */
    public interface Runtime {
        /** Returns the reply as JSON text. Called on one thread, one event at a time, as a built-in runtime does. */
        String invoke(ClassLoader function, String handler, String eventType, byte[] event) throws Exception;
    }

    private final Process process;
    private final Path log;
    private final Writer requests;
    private final BufferedReader replies;

    private InstanceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts an instance of the unpacked package at {@code code.root}, run by {@code runtime} (a class
     * on the test class path with a no-argument constructor), with {@code env} as its only JINGNEI_
     * and platform settings.
     */
    public static InstanceProcess start(CodePackage code, Class<? extends Runtime> runtime, Map<String, String> env) throws IOException {
        Path log = Files.createTempFile("jingnei-instance-", ".log");
        ProcessBuilder builder = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                InstanceProcess.class.getName(), code.root.toString(), runtime.getName())
                .redirectError(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("JINGNEI_") || key.startsWith("HOLYSHEEP_") || key.startsWith("AWS_")
                || key.startsWith("ALIBABA_CLOUD_") || key.startsWith("TENCENTCLOUD_") || key.startsWith("FC_") || key.startsWith("SCF_"));
        builder.environment().putAll(env);
        return new InstanceProcess(builder.start(), log);
    }

    /** One event to one handler; the handler's reply, parsed. */
    public JsonNode invoke(String handler, String eventType, byte[] event) throws IOException {
        requests.write(JSON.createObjectNode().put("handler", handler).put("type", eventType)
                .put("event", Base64.getEncoder().encodeToString(event)).toString() + "\n");
        requests.flush();
        String line = replies.readLine();
        if (line == null) {
            throw new AssertionError("the instance ended without a reply:\n" + log());
        }
        JsonNode reply = JSON.readTree(line);
        if (reply.has("error")) {
            throw new AssertionError("the runtime could not call " + handler + ": " + reply.path("error").asText() + "\n" + log());
        }
        return JSON.readTree(reply.path("reply").asText());
    }

    /** Everything the instance logged so far. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        requests.close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The instance side: {@code <package root> <runtime class>}; JSON lines in on stdin, out on stdout. */
    public static void main(String[] args) throws Exception {
        PrintStream replies = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err); // the function's log lines must not mix with the replies
        ClassLoader function = CodePackage.at(Paths.get(args[0])).newLoader();
        Runtime runtime = (Runtime) Class.forName(args[1]).getDeclaredConstructor().newInstance();
        // The runtime's threads do not carry the function's class loader.
        Thread.currentThread().setContextClassLoader(ClassLoader.getPlatformClassLoader());
        BufferedReader events = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = events.readLine(); line != null; line = events.readLine()) {
            JsonNode request = JSON.readTree(line);
            String reply;
            try {
                reply = JSON.createObjectNode().put("reply", runtime.invoke(function, request.path("handler").asText(),
                        request.path("type").asText(null), Base64.getDecoder().decode(request.path("event").asText()))).toString();
            } catch (Exception | LinkageError e) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                reply = JSON.createObjectNode().put("error", trace.toString()).toString();
            }
            replies.println(reply);
        }
        System.exit(0);
    }
}
