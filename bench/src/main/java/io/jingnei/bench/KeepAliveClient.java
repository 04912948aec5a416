package io.jingnei.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 keep-alive connection on a plain blocking socket (TCP_NODELAY, the request in one
 * write), for the gateway benchmarks' timed calls. Not the JDK HttpClient: its selector thread and
 * executor hand-offs made a direct call to the fake upstream take 0.76 ms where a plain socket takes
 * 0.16-0.23 ms on this machine, client-side time that is noise in every row. One instance per thread.
 */
final class KeepAliveClient implements AutoCloseable {
    /** A whole answer: status and body. */
    static final class Response {
        final int status;
        final String body;

        Response(int status, String body) {
            this.status = status;
            this.body = body;
        }
    }

    private final URI base;
    private final Map<String, String> headers;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    KeepAliveClient(String baseUrl, Map<String, String> headers) {
        this.base = URI.create(baseUrl);
        this.headers = headers;
    }

    /** POSTs a JSON body to {@code base + path} and reads the whole answer. */
    Response post(String path, String json) throws IOException {
        int status = exchange(path, json, new long[1]);
        return new Response(status, new String(readBody(), StandardCharsets.UTF_8));
    }

    /**
     * Sends and reads the status and headers. A kept-alive connection the server closed while idle
     * (Node closes them after 5 s) is opened again once; {@code start[0]} is when the request that
     * got the answer was written.
     */
    private int exchange(String path, String json, long[] start) throws IOException {
        boolean reused = socket != null && !socket.isClosed();
        try {
            start[0] = System.nanoTime();
            send(path, json);
            return readStatus();
        } catch (IOException stale) {
            if (!reused) {
                throw stale;
            }
            close();
            start[0] = System.nanoTime();
            send(path, json);
            return readStatus();
        }
    }

    /**
     * POSTs and reads an SSE answer line by line, giving each {@code data:} line to {@code onData}
     * with the ms since the request was written.
     */
    int stream(String path, String json, java.util.function.ObjDoubleConsumer<String> onData) throws IOException {
        long[] started = new long[1];
        int status = exchange(path, json, started);
        long start = started[0];
        InputStream body = bodyStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = body.read(); b >= 0; b = body.read()) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8).trim();
                line.reset();
                if (text.startsWith("data:")) {
                    onData.accept(text, (System.nanoTime() - start) / 1e6);
                }
            } else {
                line.write(b);
            }
        }
        return status;
    }

    private void send(String path, String json) throws IOException {
        if (socket == null || socket.isClosed()) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST ").append(base.getRawPath()).append(path).append(" HTTP/1.1\r\nHost: ")
                .append(base.getHost()).append(':').append(base.getPort()).append("\r\nContent-Type: application/json\r\nContent-Length: ")
                .append(body.length).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        byte[] h = head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[h.length + body.length];
        System.arraycopy(h, 0, request, 0, h.length);
        System.arraycopy(body, 0, request, h.length, body.length);
        out.write(request);
        out.flush();
    }

    private long contentLength = -1;
    private boolean chunked;
    private boolean closeAfter;

    private int readStatus() throws IOException {
        String status = readLine();
        if (status == null) {
            throw new IOException("connection closed before an answer");
        }
        contentLength = -1;
        chunked = false;
        closeAfter = false;
        for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                contentLength = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                closeAfter = true;
            }
        }
        return Integer.parseInt(status.split(" ")[1]);
    }

    private byte[] readBody() throws IOException {
        return bodyStream().readAllBytes();
    }

    /** The body as it arrives: by length, de-chunked, or until the connection closes. */
    private InputStream bodyStream() {
        if (chunked) {
            return new Chunked();
        }
        if (contentLength >= 0) {
            return new Limited(contentLength);
        }
        closeAfter = true;
        return new Limited(Long.MAX_VALUE);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.US_ASCII);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
    }

    private void finished() throws IOException {
        if (closeAfter) {
            close();
        }
    }

    private final class Limited extends InputStream {
        private long left;

        Limited(long length) {
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                left = 0;
                finished();
                return -1;
            }
            if (--left == 0) {
                finished();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n < 0) {
                left = 0;
                finished();
                return -1;
            }
            left -= n;
            if (left == 0) {
                finished();
            }
            return n;
        }
    }

    private final class Chunked extends InputStream {
        private long left;
        private boolean done;

        @Override
        public int read() throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = readLine();
                if (size == null) {
                    done = true;
                    return -1;
                }
                left = Long.parseLong(size.split(";")[0].trim(), 16);
                if (left == 0) {
                    // trailers, then the empty line
                    for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
                        // ignored
                    }
                    done = true;
                    finished();
                    return -1;
                }
            }
            int b = in.read();
            if (--left == 0) {
                readLine(); // the CRLF after the chunk
            }
            return b;
        }
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }
}
