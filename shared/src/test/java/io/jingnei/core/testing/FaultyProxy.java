package io.jingnei.core.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 proxy on loopback in front of a real server (S3Proxy) that breaks chosen answers:
 * it answers 503 or 403 itself, or never answers, or forwards the request untouched (so the client's SigV4 signature
 * is checked by the real server) and then cuts, stalls, corrupts or shortens the real answer's body.
 * Faults apply, in the order planned, to the requests a {@link #plan} names (method and path);
 * every other request passes through. One request per connection: every answer says
 * {@code Connection: close}.
 */
public final class FaultyProxy implements AutoCloseable {

    /** What to do to one answer. */
    public static final class Fault {
        enum Kind { STATUS, HANG, RESET_AFTER, STALL_AFTER, FLIP_BYTE, TRUNCATE_TO }

        final Kind kind;
        final int status;
        final String code;
        final long at;
        final long millis;

        private Fault(Kind kind, int status, String code, long at, long millis) {
            this.kind = kind;
            this.status = status;
            this.code = code;
            this.at = at;
            this.millis = millis;
        }

        /** The proxy answers this status with an S3 error body; the real server never sees the request. */
        public static Fault status(int status, String code) {
            return new Fault(Kind.STATUS, status, code, 0, 0);
        }

        /** The request is read and never forwarded nor answered; the connection closes after {@code millis}: a stuck store. */
        public static Fault hang(long millis) {
            return new Fault(Kind.HANG, 0, null, 0, millis);
        }

        /** The real head and the first {@code bytes} of the body, then a TCP reset. */
        public static Fault resetAfter(long bytes) {
            return new Fault(Kind.RESET_AFTER, 0, null, bytes, 0);
        }

        /** The real head and the first {@code bytes} of the body, then silence for {@code millis}, then a close. */
        public static Fault stallAfter(long bytes, long millis) {
            return new Fault(Kind.STALL_AFTER, 0, null, bytes, millis);
        }

        /** The real answer with the body byte at {@code offset} inverted. */
        public static Fault flipByte(long offset) {
            return new Fault(Kind.FLIP_BYTE, 0, null, offset, 0);
        }

        /** A well-formed answer whose body is only the first {@code bytes} (Content-Length says so): a short object. */
        public static Fault truncateTo(long bytes) {
            return new Fault(Kind.TRUNCATE_TO, 0, null, bytes, 0);
        }

        @Override
        public String toString() {
            switch (kind) {
                case STATUS: return "HTTP " + status + " " + code;
                case HANG: return "no answer for " + millis + " ms";
                case RESET_AFTER: return "reset after " + at + " body bytes";
                case STALL_AFTER: return "stall " + millis + " ms after " + at + " body bytes";
                case FLIP_BYTE: return "byte " + at + " flipped";
                default: return "truncated to " + at + " bytes";
            }
        }
    }

    private final ServerSocket server;
    private final int targetPort;
    private final ConcurrentLinkedQueue<Fault> plan = new ConcurrentLinkedQueue<>();
    private volatile String planMethod = "";
    private volatile String planPath = "";
    private final AtomicInteger matched = new AtomicInteger();
    private final List<String> injected = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    private FaultyProxy(URI target) throws IOException {
        this.targetPort = target.getPort();
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "faulty-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy in front of {@code target} (an http://127.0.0.1:port endpoint). */
    public static FaultyProxy inFrontOf(String target) {
        try {
            return new FaultyProxy(URI.create(target));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** From now on, requests with this method and path get these faults, one each, in order; then none. */
    public synchronized void plan(String method, String path, List<Fault> faults) {
        plan.clear();
        plan.addAll(faults);
        planMethod = method;
        planPath = path;
        matched.set(0);
        injected.clear();
    }

    /** Requests that matched the plan's method and path since it was made, faulted or not. */
    public int matchedRequests() {
        return matched.get();
    }

    /** The faults injected since the plan was made, in order. */
    public List<String> injected() {
        return new ArrayList<>(injected);
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket socket : open) {
                socket.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread t = new Thread(() -> serve(client), "faulty-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (Socket c = client) {
            c.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(c.getInputStream());
            Message request = Message.read(in, false);
            if (request == null) {
                return;
            }
            String[] line = request.startLine.split(" ");
            Fault fault = null;
            if (line[0].equals(planMethod) && line[1].split("\\?")[0].equals(planPath)) {
                matched.incrementAndGet();
                fault = plan.poll();
            }
            OutputStream out = c.getOutputStream();
            if (fault != null && fault.kind == Fault.Kind.STATUS) {
                injected.add(fault.toString());
                byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + fault.code + "</Code><Message>injected by the test</Message>"
                        + "<Resource>" + line[1] + "</Resource></Error>").getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 " + fault.status + " Injected\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                return;
            }
            if (fault != null && fault.kind == Fault.Kind.HANG) {
                injected.add(fault.toString());
                sleep(fault.millis);
                return;
            }
            Message response = forward(request, line[0].equals("HEAD"));
            if (fault != null) {
                injected.add(fault.toString());
            }
            answer(c, out, response, fault);
        } catch (IOException ignored) {
            // the client went away (after a stall it has usually timed out and closed)
        } finally {
            open.remove(client);
        }
    }

    private Message forward(Message request, boolean head) throws IOException {
        try (Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
            OutputStream out = target.getOutputStream();
            out.write(request.headBytes());
            out.write(request.body);
            out.flush();
            return Message.read(new BufferedInputStream(target.getInputStream()), head);
        }
    }

    private static void answer(Socket client, OutputStream out, Message response, Fault fault) throws IOException {
        byte[] body = response.body;
        long length = body.length;
        if (fault != null && fault.kind == Fault.Kind.FLIP_BYTE && fault.at < body.length) {
            body = body.clone();
            body[(int) fault.at] ^= (byte) 0xff;
        }
        if (fault != null && fault.kind == Fault.Kind.TRUNCATE_TO) {
            length = Math.min(fault.at, body.length);
        }
        StringBuilder head = new StringBuilder(response.startLine).append("\r\n");
        for (String header : response.headers) {
            String name = header.substring(0, header.indexOf(':')).trim().toLowerCase(Locale.ROOT);
            if (!name.equals("content-length") && !name.equals("transfer-encoding") && !name.equals("connection")) {
                head.append(header).append("\r\n");
            }
        }
        head.append("Content-Length: ").append(response.head ? response.contentLength : length).append("\r\nConnection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        if (response.head) {
            return;
        }
        if (fault != null && (fault.kind == Fault.Kind.RESET_AFTER || fault.kind == Fault.Kind.STALL_AFTER)) {
            int cut = (int) Math.min(fault.at, body.length);
            out.write(body, 0, cut);
            out.flush();
            if (fault.kind == Fault.Kind.STALL_AFTER) {
                sleep(fault.millis);
                return;
            }
            sleep(50); // let the client read what was sent: a reset discards unread data
            client.setSoLinger(true, 0);
            client.close();
            return;
        }
        out.write(body, 0, (int) length);
        out.flush();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An HTTP/1.1 request or response read whole: start line, headers, body (Content-Length or chunked). */
    private static final class Message {
        final String startLine;
        final List<String> headers;
        final byte[] body;
        final boolean head;
        final long contentLength;

        private Message(String startLine, List<String> headers, byte[] body, boolean head, long contentLength) {
            this.startLine = startLine;
            this.headers = headers;
            this.body = body;
            this.head = head;
            this.contentLength = contentLength;
        }

        byte[] headBytes() {
            StringBuilder text = new StringBuilder(startLine).append("\r\n");
            for (String header : headers) {
                text.append(header).append("\r\n");
            }
            return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        /** {@code noBody}: the answer to a HEAD, whose Content-Length announces a body that is not sent. */
        static Message read(InputStream in, boolean noBody) throws IOException {
            String start = line(in);
            if (start == null || start.isEmpty()) {
                return null;
            }
            List<String> headers = new ArrayList<>();
            long length = -1;
            boolean chunked = false;
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                headers.add(header);
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(header.substring(header.indexOf(':') + 1).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            boolean response = start.startsWith("HTTP/");
            int status = response ? Integer.parseInt(start.split(" ")[1]) : 0;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (noBody || status == 204 || status == 304) {
                return new Message(start, headers, new byte[0], noBody, Math.max(0, length));
            }
            if (chunked) {
                for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                     size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                    body.write(in.readNBytes(size));
                    line(in);
                }
                for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                    // trailers are dropped
                }
            } else if (length >= 0) {
                body.write(in.readNBytes((int) length));
            } else if (response) {
                body.write(in.readAllBytes());
            }
            return new Message(start, headers, body.toByteArray(), false, body.size());
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
            return b == -1 && buffer.size() == 0 ? null : buffer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
