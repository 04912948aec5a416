package io.jingnei.core.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * An object being read as it arrives. Read it on a worker thread: reads block until bytes are in.
 * Closing before the end aborts the transfer.
 */
public final class StoredStream implements Closeable {
    public final InputStream in;
    public final String etag;
    /** Bytes announced by the store, or -1 when unknown. */
    public final long length;
    /** Faults the store retried before this stream opened (a 503, a reset), oldest first; usually none. */
    public final List<String> retried;

    public StoredStream(InputStream in, String etag, long length) {
        this(in, etag, length, List.of());
    }

    public StoredStream(InputStream in, String etag, long length, List<String> retried) {
        this.in = in;
        this.etag = etag;
        this.length = length;
        this.retried = retried;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
