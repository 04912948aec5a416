package io.jingnei.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/** Starting, timing and stopping the processes under test. Loopback only. */
final class Processes {
    /** HTTP/1.1: the JDK client's default h2c upgrade attempt hangs some servers (Node's, here). */
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    private Processes() {
    }

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    static Process start(Path dir, Map<String, String> env, Path log, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Milliseconds from {@code startNanos} until a POST answers in a way {@code done} accepts. */
    static double untilAnswered(long startNanos, Process process, String url, String body, Predicate<HttpResponse<String>> done) throws Exception {
        return untilAnswered(startNanos, process, url, body, Map.of(), done);
    }

    /** The same, sending {@code headers} with each try (a client key where the instance requires one). */
    static double untilAnswered(long startNanos, Process process, String url, String body, Map<String, String> headers,
                                Predicate<HttpResponse<String>> done) throws Exception {
        long deadline = startNanos + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("process exited with " + process.exitValue() + " before answering " + url);
            }
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
                headers.forEach(request::header);
                HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (done.test(response)) {
                    return (System.nanoTime() - startNanos) / 1e6;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException(url + " did not answer within 120 s");
    }

    static void stop(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** Resident memory of a process and its children, MB, from /proc. */
    static double rssMb(Process process) {
        long kb = rssKb(process.pid());
        for (ProcessHandle child : (Iterable<ProcessHandle>) process.descendants()::iterator) {
            kb += rssKb(child.pid());
        }
        return kb / 1024.0;
    }

    private static long rssKb(long pid) {
        return statusKb(pid, "VmRSS");
    }

    /** A memory field of /proc/PID/status in kB ({@code VmRSS}: resident now, {@code VmHWM}: the peak); 0 once the process ended. */
    static long statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D+", ""));
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // the process ended
        }
        return 0;
    }
}
