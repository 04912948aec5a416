package io.jingnei.bench;

import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fake upstream in a JVM of its own, pinned beside the load generator (core 0) for the gateway
 * benchmarks, as the set-up has it (an upstream process next to the client): the JVM that
 * times the calls then shares no collector, JIT or safepoints with the fixture that answers them.
 * Told what to answer over stdin: {@code whole} or {@code stream GAP_MS N}.
 */
final class UpstreamProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    final String baseUrl;

    private UpstreamProcess(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.baseUrl = out.readLine();
        if (baseUrl == null || !baseUrl.startsWith("http")) {
            throw new IllegalStateException("the upstream process did not start; see its log");
        }
    }

    static UpstreamProcess start(Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        if (Pinning.available()) {
            command.addAll(List.of("taskset", "-c", Pinning.LOAD_CORE));
        }
        command.addAll(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), UpstreamProcess.class.getName()));
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        return new UpstreamProcess(process);
    }

    /** Whole answers from now on. */
    void whole() throws IOException {
        tell("whole");
    }

    /** Streams of {@code count} content chunks {@code gapMillis} apart from now on. */
    void stream(int gapMillis, int count) throws IOException {
        tell("stream " + gapMillis + " " + count);
    }

    private void tell(String command) throws IOException {
        in.write(command + "\n");
        in.flush();
        String answer = out.readLine();
        if (!"ok".equals(answer)) {
            throw new IOException("the upstream process answered " + answer + " to " + command);
        }
    }

    @Override
    public void close() throws InterruptedException {
        Processes.stop(process);
    }

    public static void main(String[] args) throws IOException {
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (FakeUpstream upstream = FakeUpstream.start()) {
            stdout.println(upstream.baseUrl());
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = commands.readLine(); line != null; line = commands.readLine()) {
                String[] words = line.trim().split("\\s+");
                if (words[0].equals("stream")) {
                    String[] deltas = new String[Integer.parseInt(words[2])];
                    for (int i = 0; i < deltas.length; i++) {
                        deltas[i] = "字" + i;
                    }
                    upstream.reset();
                    upstream.fallback(Reply.stream(Integer.parseInt(words[1]), deltas));
                } else {
                    upstream.reset();
                }
                stdout.println("ok");
            }
        }
    }
}
