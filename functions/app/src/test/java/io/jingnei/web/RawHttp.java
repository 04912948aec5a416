package io.jingnei.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 written byte by byte, for what well-behaved clients cannot send: repeated headers,
 * unknown transfer codings, bodies that stop half way. The answer is read until the server closes
 * or a complete response (by its content-length) has arrived.
 */
final class RawHttp implements AutoCloseable {
    final Socket socket;

    RawHttp(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000);
    }

    /** Request line and headers; the blank line is added. */
    RawHttp head(String requestLineAndHeaders) throws IOException {
        socket.getOutputStream().write((requestLineAndHeaders.replace("\n", "\r\n") + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Writes body bytes; false once the server has stopped taking them (it answered and closed). */
    boolean body(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return true;
        } catch (IOException closedByServer) {
            return false;
        }
    }

    /** The response as text: status line, headers and body. Empty when the connection was reset first. */
    String response() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (complete(out.toString(StandardCharsets.UTF_8))) {
                    break;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException endedOrReset) {
            // what arrived is the answer
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static int status(String response) {
        return response.startsWith("HTTP/1.1 ") ? Integer.parseInt(response.substring(9, 12)) : -1;
    }

    static String body(String response) {
        int blank = response.indexOf("\r\n\r\n");
        return blank < 0 ? "" : response.substring(blank + 4);
    }

    private static boolean complete(String soFar) {
        int blank = soFar.indexOf("\r\n\r\n");
        if (blank < 0) {
            return false;
        }
        String headers = soFar.substring(0, blank).toLowerCase(java.util.Locale.ROOT);
        int at = headers.indexOf("content-length:");
        if (at < 0) {
            return false;
        }
        int end = headers.indexOf("\r\n", at);
        long length = Long.parseLong(headers.substring(at + 15, end < 0 ? headers.length() : end).trim());
        return soFar.getBytes(StandardCharsets.UTF_8).length - blank - 4 >= length;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
