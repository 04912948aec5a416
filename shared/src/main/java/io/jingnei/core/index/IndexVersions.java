package io.jingnei.core.index;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.storage.StorageWait;
import io.jingnei.core.storage.StoredObject;
import io.jingnei.core.util.TimeSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * How builds running at once into the same index agree, with nothing but
 * {@link ObjectStore#putIfAbsent} (OSS and COS have no conditional overwrite, so the pointer itself
 * cannot be compare-and-swapped):
 * <ul>
 * <li>a build claims its version number first, by creating {@code <index>.versions/<n>.claim}; a
 * number already claimed goes to the next one, so two builds never write the same version;</li>
 * <li>the pointer is moved under {@code <index>.versions/pointer.lock}, held for one read and one
 * write of the small pointer: the move is made from the pointer as it is then, so a build that
 * finishes second adds its version instead of overwriting the other's.</li>
 * </ul>
 * A lock older than {@link #STALE_LOCK} was left by a build that died while holding it (the holder
 * needs milliseconds) and is taken over. Blocking: call on a worker thread.
 */
public final class IndexVersions {
    /** A build that died between claiming and committing leaves its claim; at most this many in a row are stepped over. */
    static final int MAX_CLAIMS = 100;
    static final Duration STALE_LOCK = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 20;

    private final ObjectStore store;
    private final URI pointer;
    private final TimeSource time;

    public IndexVersions(ObjectStore store, URI pointer, TimeSource time) {
        this.store = store;
        this.pointer = pointer;
        this.time = time;
    }

    /** The lowest unclaimed version number above {@code newest}, now this build's. */
    public long claim(long newest, String requestId) {
        for (long number = newest + 1; number <= newest + MAX_CLAIMS; number++) {
            if (join(store.putIfAbsent(claimUri(number), note(requestId), "application/json"))) {
                return number;
            }
        }
        throw new JingneiException(ErrorKind.CONFLICT, "versions " + (newest + 1) + " to " + (newest + MAX_CLAIMS) + " of " + pointer
                + " are all claimed by other builds; try again when they have finished");
    }

    /** Gives a claimed number back (a build that failed before its pointer moved); best effort. */
    public void release(long number) {
        try {
            join(store.delete(claimUri(number)));
        } catch (RuntimeException e) {
            // a claim left behind only makes the next build step over one number
        }
    }

    /**
     * Rewrites the pointer to {@code move.apply(current)} ({@code current} null when there is none
     * yet, or when the object is an index of its own) while holding the lock; returns the new pointer.
     */
    public IndexPointer movePointer(UnaryOperator<IndexPointer> move, String requestId) {
        URI lock = URI.create(pointer + ".versions/pointer.lock");
        lock(lock, requestId);
        try {
            IndexPointer moved = move.apply(IndexPointer.current(store, pointer));
            join(store.put(pointer, moved.toBytes(), "application/json"));
            return moved;
        } finally {
            try {
                join(store.delete(lock));
            } catch (RuntimeException e) {
                // left behind, it goes stale and the next build takes it over
            }
        }
    }

    /** The claim of version {@code number}, deleted with the version when it is pruned. */
    public URI claimUri(long number) {
        return URI.create(pointer + ".versions/" + number + ".claim");
    }

    private void lock(URI lock, String requestId) {
        long waitedMillis = 0;
        while (!join(store.putIfAbsent(lock, note(requestId), "application/json"))) {
            if (stale(lock)) {
                join(store.delete(lock));
                continue;
            }
            if (waitedMillis > 2 * STALE_LOCK.toMillis()) {
                throw new JingneiException(ErrorKind.CONFLICT, "another build keeps moving the pointer of " + pointer + "; try again shortly");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JingneiException(ErrorKind.INTERNAL_ERROR, "interrupted while waiting for the pointer lock of " + pointer, e);
            }
            waitedMillis += POLL_MILLIS;
        }
    }

    /** The lock's own note says when it was taken; one that cannot be read is gone or garbage, so stale. */
    private boolean stale(URI lock) {
        try {
            StoredObject held = join(store.get(lock));
            String text = new String(held.bytes, StandardCharsets.UTF_8);
            long at = Long.parseLong(text.replaceAll(".*\"at\":(\\d+).*", "$1"));
            return time.currentTimeMillis() - at > STALE_LOCK.toMillis();
        } catch (JingneiException e) {
            return e.kind() == ErrorKind.NOT_FOUND;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private byte[] note(String requestId) {
        String id = requestId == null ? "" : requestId.replaceAll("[^A-Za-z0-9._-]", "");
        return ("{\"request_id\":\"" + id + "\",\"at\":" + time.currentTimeMillis() + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T join(CompletableFuture<T> future) {
        return StorageWait.join(future, Duration.ofMinutes(2));
    }
}
