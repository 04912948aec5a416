package io.jingnei.core.storage;

import org.apache.hc.core5.http.nio.CapacityChannel;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Hands a response body from the HTTP client's I/O thread to a reading worker thread with bounded
 * memory: the I/O thread copies what arrives into a queue and reads no more than the window the
 * reader has freed (flow control through the {@link CapacityChannel}), so a large object never
 * sits in memory twice and a slow reader slows the transfer instead of growing a buffer.
 */
final class PipedBody extends InputStream {
    static final int WINDOW = 1 << 20;

    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private byte[] current;
    private int position;
    private CapacityChannel channel;
    private int freed;
    private boolean ended;
    private IOException failure;
    private boolean closed;
    private Runnable onAbort = () -> { };

    synchronized void channel(CapacityChannel channel) throws IOException {
        boolean first = this.channel == null;
        this.channel = channel;
        if (first) {
            channel.update(WINDOW);
        }
    }

    void onAbort(Runnable abort) {
        this.onAbort = abort;
    }

    /** From the I/O thread. */
    synchronized void write(ByteBuffer src) {
        if (closed) {
            src.position(src.limit());
            return;
        }
        byte[] copy = new byte[src.remaining()];
        src.get(copy);
        chunks.add(copy);
        notifyAll();
    }

    synchronized void end() {
        ended = true;
        notifyAll();
    }

    synchronized void fail(IOException error) {
        failure = error;
        notifyAll();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] out, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int n;
        int grant = 0;
        CapacityChannel window;
        synchronized (this) {
            while (current == null || position == current.length) {
                current = chunks.poll();
                position = 0;
                if (current != null) {
                    continue;
                }
                if (failure != null) {
                    throw failure;
                }
                if (ended) {
                    return -1;
                }
                if (closed) {
                    throw new IOException("stream closed");
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading an object");
                }
            }
            n = Math.min(length, current.length - position);
            System.arraycopy(current, position, out, offset, n);
            position += n;
            freed += n;
            window = channel;
            if (freed >= WINDOW / 4 && window != null && !ended) {
                grant = freed;
                freed = 0;
            }
        }
        if (grant > 0) {
            // Outside the lock: the channel may call back into the I/O side.
            window.update(grant);
        }
        return n;
    }

    @Override
    public void close() {
        boolean abort;
        synchronized (this) {
            abort = !closed && !ended && failure == null;
            closed = true;
            chunks.clear();
            notifyAll();
        }
        if (abort) {
            onAbort.run();
        }
    }
}
