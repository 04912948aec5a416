package io.jingnei.core.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * An OpenAI-compatible upstream on loopback, speaking raw HTTP/1.1 so it can also misbehave:
 * 429 with Retry-After, 5xx, slow drips, hangs and connection resets. Chat completion requests
 * take scripted replies in order (then a default); {@code GET /v1/models} lists {@link #models}.
 */
public final class FakeUpstream implements AutoCloseable {
    public static final String KEY = "sk-test-0123456789abcdef";

    private final ServerSocket server;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    // Not copy-on-write: a load benchmark records thousands of requests and holds 1,000 sockets.
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger clientDisconnects = new AtomicInteger();
    /** Notified when a request arrives or a client leaves, for the await methods. */
    private final Object events = new Object();
    private volatile Reply fallback = Reply.completion("您好，有什么可以帮您？", 12, 8);
    private volatile List<String> models = List.of("deepseek-v3.2", "gemini-2.5-flash", "gpt-4.1", "claude-sonnet-4.5");
    private volatile String expectedKey = KEY;
    private volatile FakeBatchApi batchApi;

    private FakeUpstream() throws IOException {
        // A backlog for 1,000 connections opened at once: with 50, the kernel drops the SYNs past it
        // and the client retries them 1 s and 3 s later, which looked like a slow gateway.
        server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fake-upstream-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static FakeUpstream start() {
        try {
            return new FakeUpstream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
    }

    public FakeUpstream enqueue(Reply... replies) {
        Collections.addAll(script, replies);
        return this;
    }

    public FakeUpstream fallback(Reply reply) {
        this.fallback = reply;
        return this;
    }

    public FakeUpstream models(String... ids) {
        this.models = List.of(ids);
        return this;
    }

    /** From now on only this key is accepted (null: any); others get a 401 that echoes them, as real upstreams do. */
    public FakeUpstream expectKey(String key) {
        this.expectedKey = key;
        return this;
    }

    /** Serves the Files and Batch API from now on (null: none, so /files answers 404 as on an upstream without it). */
    public FakeUpstream batchApi(FakeBatchApi api) {
        this.batchApi = api;
        return this;
    }

    /** Clears script, records and counters between tests. */
    public void reset() {
        script.clear();
        requests.clear();
        clientDisconnects.set(0);
        fallback = Reply.completion("您好，有什么可以帮您？", 12, 8);
        models = List.of("deepseek-v3.2", "gemini-2.5-flash", "gpt-4.1", "claude-sonnet-4.5");
    }

    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    public List<RecordedRequest> completionRequests() {
        List<RecordedRequest> out = new ArrayList<>();
        for (RecordedRequest r : requests()) {
            if (r.path.endsWith("/chat/completions")) {
                out.add(r);
            }
        }
        return out;
    }

    /** Streams, hangs and delayed answers during which the client went away before the end. */
    public int clientDisconnects() {
        return clientDisconnects.get();
    }

    /** Blocks until {@code count} chat completion requests have arrived (since the last reset); fails after 10 s. */
    public void awaitCompletionRequests(int count) throws InterruptedException {
        await(() -> completionRequests().size(), count, "chat completion requests");
    }

    /** Blocks until {@code count} clients have gone away mid-answer (since the last reset); fails after 10 s. */
    public void awaitClientDisconnects(int count) throws InterruptedException {
        await(clientDisconnects::get, count, "clients gone away");
    }

    private void await(IntSupplier seen, int count, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (events) {
            while (seen.getAsInt() < count) {
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " " + what + " within 10 s, saw " + seen.getAsInt());
                }
                events.wait(left);
            }
        }
    }

    private void event() {
        synchronized (events) {
            events.notifyAll();
        }
    }

    private void clientLeft() {
        clientDisconnects.incrementAndGet();
        event();
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread t = new Thread(() -> serve(socket), "fake-upstream-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (Socket s = socket) {
            // Head, body and SSE events go out as separate writes: without this, Nagle's algorithm
            // and delayed ACKs hold the second write back ~40 ms.
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                RecordedRequest request = read(in);
                if (request == null) {
                    return;
                }
                requests.add(request);
                event();
                if (!answer(request, s, in, out)) {
                    return;
                }
            }
        } catch (IOException ignored) {
            // the client went away
        } finally {
            sockets.remove(socket);
        }
    }

    /** @return whether the connection stays open for another request */
    private boolean answer(RecordedRequest request, Socket socket, InputStream in, OutputStream out) throws IOException {
        if (expectedKey != null && !("Bearer " + expectedKey).equals(request.headers.get("authorization"))) {
            String shown = request.headers.getOrDefault("authorization", "").replace("Bearer ", "");
            writeBody(out, Reply.error(401, "invalid_request_error", "invalid_api_key",
                    "Incorrect API key provided: " + shown + ". You can find your API key in the console."));
            return true;
        }
        if (request.method.equals("GET") && request.path.endsWith("/models")) {
            StringBuilder data = new StringBuilder();
            for (String id : models) {
                data.append(data.length() == 0 ? "" : ",")
                        .append("{\"id\":\"").append(id).append("\",\"object\":\"model\",\"created\":1764201600,\"owned_by\":\"holysheep\"}");
            }
            writeBody(out, Reply.json(200, "{\"object\":\"list\",\"data\":[" + data + "]}"));
            return true;
        }
        FakeBatchApi batches = batchApi;
        if (batches != null && (request.path.contains("/files") || request.path.contains("/batches"))) {
            writeBody(out, batches.handle(request));
            return true;
        }
        if (request.path.endsWith("/embeddings")) {
            writeBody(out, embeddings(request));
            return true;
        }
        if (!request.path.endsWith("/chat/completions")) {
            writeBody(out, Reply.error(404, "invalid_request_error", null, "Unknown path " + request.path));
            return true;
        }
        Reply reply = script.poll();
        if (reply == null) {
            reply = fallback;
        }
        String model = request.json().path("model").asText();
        if (!model.isEmpty() && !models.contains(model)) {
            reply = Reply.error(404, "invalid_request_error", "model_not_found", "The model `" + model + "` does not exist");
        }
        if (reply.kind == Reply.Kind.ECHO) {
            reply = echoOf(request, (int) reply.delayMillis);
        }
        switch (reply.kind) {
            case RESET:
                resetConnection(socket);
                return false;
            case HANG:
                waitWatching(socket, in, reply.delayMillis, null);
                return false;
            case SSE:
                return waitWatching(socket, in, reply.answerDelayMillis, reply.release) && writeStream(out, socket, reply);
            default:
                if (!waitWatching(socket, in, reply.answerDelayMillis, reply.release)) {
                    return false;
                }
                writeBody(out, reply);
                return true;
        }
    }

    private static Reply echoOf(RecordedRequest request, int pieceChars) {
        String last = "";
        for (com.fasterxml.jackson.databind.JsonNode message : request.json().path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                com.fasterxml.jackson.databind.JsonNode content = message.path("content");
                if (content.isTextual()) {
                    last = content.asText();
                } else {
                    StringBuilder parts = new StringBuilder();
                    content.forEach(part -> parts.append(part.path("text").asText("")));
                    last = parts.toString();
                }
            }
        }
        if (!request.json().path("stream").asBoolean(false)) {
            return Reply.completion(last, 10, 10);
        }
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < last.length(); i += Math.max(1, pieceChars)) {
            pieces.add(last.substring(i, Math.min(last.length(), i + Math.max(1, pieceChars))));
        }
        return Reply.stream(0, pieces.toArray(new String[0]));
    }

    /** Deterministic 8-dimensional vectors from each text's characters: equal texts, equal vectors. */
    private static Reply embeddings(RecordedRequest request) {
        StringBuilder data = new StringBuilder();
        int index = 0;
        for (com.fasterxml.jackson.databind.JsonNode input : request.json().path("input")) {
            double[] v = new double[8];
            String text = input.asText();
            for (int i = 0; i < text.length(); i++) {
                v[(text.charAt(i) * 31 + i) % 8] += 1 + (text.charAt(i) % 7);
            }
            StringBuilder values = new StringBuilder();
            for (double x : v) {
                values.append(values.length() == 0 ? "" : ",").append(x);
            }
            data.append(index == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(index++)
                    .append(",\"embedding\":[").append(values).append("]}");
        }
        return Reply.json(200, "{\"object\":\"list\",\"model\":\"" + request.json().path("model").asText()
                + "\",\"data\":[" + data + "],\"usage\":{\"prompt_tokens\":" + index + ",\"total_tokens\":" + index + "}}");
    }

    private static void writeBody(OutputStream out, Reply reply) throws IOException {
        byte[] body = reply.body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 " + reply.status + " " + reason(reply.status) + "\r\n");
        reply.headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private boolean writeStream(OutputStream out, Socket socket, Reply reply) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
        reply.headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n");
        try {
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < reply.events.size(); i++) {
                if (i == reply.resetAfter) {
                    sleep(reply.readBeforeResetMillis); // let the client read what was sent: a reset discards unread data
                    resetConnection(socket);
                    return false;
                }
                sleep(i == reply.stallAt ? reply.stallMillis : reply.delayMillis);
                byte[] event = ("data: " + reply.events.get(i) + "\n\n").getBytes(StandardCharsets.UTF_8);
                out.write((Integer.toHexString(event.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(event);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return true;
        } catch (IOException clientGone) {
            clientLeft();
            return false;
        }
    }

    /**
     * Waits as an upstream that is still thinking, for {@code millis} or, when {@code release} is
     * set, until it counts down, but notices a client that closes the connection meanwhile
     * (counted in {@link #clientDisconnects}). @return false when the client went away
     */
    private boolean waitWatching(Socket socket, InputStream in, long millis, CountDownLatch release) throws IOException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            while (true) {
                long left = release != null ? (release.getCount() == 0 ? 0 : 20) : TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0) {
                    return true;
                }
                socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
                in.mark(1);
                int b;
                try {
                    b = in.read();
                } catch (java.net.SocketTimeoutException thinking) {
                    continue;
                }
                if (b == -1) {
                    clientLeft();
                    return false;
                }
                in.reset(); // a pipelined request: not ours to read yet; wait out the rest without watching
                if (release != null) {
                    release.await();
                } else {
                    sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
                }
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (IOException reset) {
            clientLeft();
            return false;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(0);
            }
        }
    }

    private static void resetConnection(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private static RecordedRequest read(InputStream in) throws IOException {
        String requestLine = line(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                 size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                // trailers are ignored
            }
        }
        return new RecordedRequest(parts[0], parts[1], headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                buffer.write(b);
            }
        }
        return b == -1 && buffer.size() == 0 ? null : buffer.toString(StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 404: return "Not Found";
            case 429: return "Too Many Requests";
            case 500: return "Internal Server Error";
            case 503: return "Service Unavailable";
            default: return "Status";
        }
    }
}
