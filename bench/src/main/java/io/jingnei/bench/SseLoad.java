package io.jingnei.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Many SSE streams at once from one selector thread: raw HTTP/1.1 over non-blocking sockets, one
 * fresh connection per stream, as 1,000 separate clients would open. Not the JDK HttpClient: with
 * 1,000 fresh connections it took 0.9-1.6 s to its first answer from a server that answers a raw
 * socket in 0.2 s, which a benchmark of the server must not count.
 */
final class SseLoad implements AutoCloseable {
    /** What one stream saw. Times are ms after its connection was opened; -1 when it never happened. */
    static final class Stream {
        long startNanos;
        int status = -1;
        double headersMs = -1;
        double firstContentMs = -1;
        int contentChunks;
        boolean done;
        String errorEvent;
        String failure;
        double endMs = -1;

        boolean completed() {
            return status == 200 && done && errorEvent == null && failure == null;
        }
    }

    /** Starts {@code count} streams at once and waits for all of them (at most {@code limit}). */
    List<Stream> run(String url, Map<String, String> headers, String body, int count, Duration limit) throws IOException {
        URI uri = URI.create(url);
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
        byte[] json = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: " + json.length + "\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer request = ByteBuffer.allocate(headBytes.length + json.length).put(headBytes).put(json).flip();

        List<Stream> streams = new ArrayList<>(count);
        long deadline = System.nanoTime() + limit.toNanos();
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < count; i++) {
                Stream stream = new Stream();
                streams.add(stream);
                stream.startNanos = System.nanoTime();
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.connect(address);
                channel.register(selector, SelectionKey.OP_CONNECT, new Connection(stream, request.duplicate()));
            }
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            int open = count;
            while (open > 0 && System.nanoTime() < deadline) {
                selector.select(100);
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    Connection c = (Connection) key.attachment();
                    if (!c.step(key, in)) {
                        key.cancel();
                        key.channel().close();
                        open--;
                    }
                }
            }
            for (SelectionKey key : selector.keys()) {
                if (key.isValid()) { // cancelled keys stay in keys() until the next select
                    Connection c = (Connection) key.attachment();
                    c.end("no end within " + limit + " (" + (c.request.hasRemaining() ? "request not sent" : "request sent") + ", interest " + key.interestOps() + ")");
                    key.channel().close();
                }
            }
        }
        return streams;
    }

    @Override
    public void close() {
    }

    /** One connection's parser: status line, headers, then a chunked or fixed-length body split into SSE lines. */
    private static final class Connection {
        final Stream stream;
        final ByteBuffer request;
        final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
        boolean inHeaders = true;
        boolean chunked;
        long remaining = -1;
        boolean awaitingSize = true;

        Connection(Stream stream, ByteBuffer request) {
            this.stream = stream;
            this.request = request;
        }

        /** @return whether the connection stays open */
        boolean step(SelectionKey key, ByteBuffer in) {
            SocketChannel channel = (SocketChannel) key.channel();
            try {
                if (key.isConnectable()) {
                    channel.finishConnect();
                    key.interestOps(SelectionKey.OP_WRITE);
                }
                if (key.isValid() && key.isWritable()) {
                    channel.write(request);
                    if (!request.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                    return true;
                }
                if (key.isValid() && key.isReadable()) {
                    in.clear();
                    int read = channel.read(in);
                    if (read < 0) {
                        return end(stream.done ? null : "connection closed before the end");
                    }
                    in.flip();
                    return feed(in);
                }
                return true;
            } catch (IOException e) {
                return end(e.toString());
            }
        }

        private boolean feed(ByteBuffer in) {
            while (in.hasRemaining()) {
                if (inHeaders) {
                    if (!readLine(in)) {
                        return true;
                    }
                    if (!header(take())) {
                        return end(null);
                    }
                } else if (chunked && awaitingSize) {
                    if (!readLine(in)) {
                        return true;
                    }
                    String size = take();
                    if (size.isEmpty()) {
                        continue; // the CRLF after a chunk's data
                    }
                    remaining = Long.parseLong(size.split(";")[0].trim(), 16);
                    if (remaining == 0) {
                        return end(null);
                    }
                    awaitingSize = false;
                } else {
                    byte b = in.get();
                    body(b);
                    if (--remaining == 0) {
                        if (!chunked) {
                            return end(null);
                        }
                        awaitingSize = true;
                    }
                }
            }
            return true;
        }

        /** @return false once the response is known to have no body */
        private boolean header(String text) {
            if (stream.status < 0) {
                stream.status = Integer.parseInt(text.split(" ")[1]);
                stream.headersMs = sinceStart();
                return true;
            }
            if (!text.isEmpty()) {
                String lower = text.toLowerCase();
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("content-length:")) {
                    remaining = Long.parseLong(lower.substring(15).trim());
                }
                return true;
            }
            inHeaders = false;
            return chunked || remaining > 0;
        }

        private void body(byte b) {
            if (b != '\n') {
                line.write(b);
                return;
            }
            String text = take();
            if (!text.startsWith("data:")) {
                return;
            }
            String data = text.substring(5).trim();
            if (data.equals("[DONE]")) {
                stream.done = true;
            } else if (data.startsWith("{\"error\"")) {
                stream.errorEvent = data;
            } else if (data.contains("\"content\":\"") && !data.contains("\"content\":\"\"") && stream.contentChunks++ == 0) {
                stream.firstContentMs = sinceStart();
            }
        }

        /** Collects bytes up to LF (CR dropped); true once a whole line is in {@link #line}. */
        private boolean readLine(ByteBuffer in) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    return true;
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return false;
        }

        private String take() {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            return text;
        }

        private boolean end(String failure) {
            if (failure != null && stream.failure == null) {
                stream.failure = failure;
            }
            stream.endMs = sinceStart();
            return false;
        }

        private double sinceStart() {
            return (System.nanoTime() - stream.startNanos) / 1e6;
        }
    }
}
