package io.jingnei.core.index;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.storage.StoredStream;
import io.jingnei.core.util.Json;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The small object at an index URI that names the version being served. A build writes its index
 * whole as a new immutable object under {@code <index URI>.versions/}, then rewrites this pointer:
 * an instance polling the pointer's ETag sees either the old version or the new one, never half a
 * build. A rollback rewrites the pointer to an older version it still lists. An index URI may also
 * hold an index itself (as before versions): {@link #open} serves both.
 * <pre>{"format":"jingnei-index-pointer","version":7,"index":"faq.jnix.versions/7-….jnix",
 *  "versions":[{"version":7,"index":"…"},{"version":6,"index":"…"}]}</pre>
 * ({@code versions} newest first, at most {@code JINGNEI_INDEX_KEEP_VERSIONS}).
 */
public final class IndexPointer {
    static final String FORMAT = "jingnei-index-pointer";
    private static final ObjectMapper JSON = Json.mapper();
    private static final int MAX_POINTER_BYTES = 1 << 20;

    public final String format;
    public final long version;
    /** The served version's object, relative to the pointer. */
    public final String index;
    public final List<Version> versions;

    @JsonCreator
    public IndexPointer(@JsonProperty("format") String format, @JsonProperty("version") long version,
                        @JsonProperty("index") String index, @JsonProperty("versions") List<Version> versions) {
        this.format = format;
        this.version = version;
        this.index = index;
        this.versions = versions == null ? List.of() : List.copyOf(versions);
    }

    /** One kept version. */
    public static final class Version {
        public final long version;
        public final String index;

        @JsonCreator
        public Version(@JsonProperty("version") long version, @JsonProperty("index") String index) {
            this.version = version;
            this.index = index;
        }
    }

    /**
     * This pointer with version {@code number} (stored at {@code indexName}) added, keeping at most
     * {@code keep} versions, newest number first (the rest are returned by {@link #dropped}). The new
     * version is served when its number is above every listed one; a build that claimed a lower
     * number but finished after a higher one is only listed, so the pointer never goes back to an
     * older build because it happened to finish last. The served version is always kept.
     */
    public IndexPointer next(long number, String indexName, int keep) {
        List<Version> all = new ArrayList<>(versions);
        all.add(new Version(number, indexName));
        all.sort((a, b) -> Long.compare(b.version, a.version));
        boolean newest = number > newest();
        long served = newest ? number : version;
        String servedIndex = newest ? indexName : index;
        List<Version> kept = new ArrayList<>(all.subList(0, Math.min(keep, all.size())));
        if (kept.stream().noneMatch(v -> v.index.equals(servedIndex))) {
            kept.set(kept.size() - 1, new Version(served, servedIndex));
        }
        return new IndexPointer(FORMAT, served, servedIndex, kept);
    }

    public static IndexPointer first(long number, String indexName) {
        return new IndexPointer(FORMAT, number, indexName, List.of(new Version(number, indexName)));
    }

    /** Versions this pointer lists that {@code after} no longer does. */
    public List<Version> dropped(IndexPointer after) {
        List<Version> out = new ArrayList<>();
        for (Version v : versions) {
            if (after.versions.stream().noneMatch(k -> k.index.equals(v.index))) {
                out.add(v);
            }
        }
        return out;
    }

    /** The same kept versions, serving {@code number}; refused when it is not kept. */
    public IndexPointer rollback(long number) {
        for (Version v : versions) {
            if (v.version == number) {
                return new IndexPointer(FORMAT, number, v.index, versions);
            }
        }
        List<Long> kept = new ArrayList<>();
        versions.forEach(v -> kept.add(v.version));
        throw new IllegalArgumentException("version " + number + " is not kept; kept versions: " + kept);
    }

    public long newest() {
        return versions.stream().mapToLong(v -> v.version).max().orElse(version);
    }

    public byte[] toBytes() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The object a name in the pointer stands for. */
    public static URI resolve(URI pointer, String name) {
        return pointer.resolve(name);
    }

    /** Where a build's version {@code number} goes: beside the pointer, a name no build reuses. */
    public static String versionName(URI pointer, long number, String unique) {
        String path = pointer.getPath();
        return path.substring(path.lastIndexOf('/') + 1) + ".versions/" + number + "-" + unique + ".jnix";
    }

    static IndexPointer parse(byte[] bytes) {
        try {
            IndexPointer pointer = JSON.readValue(bytes, IndexPointer.class);
            if (!FORMAT.equals(pointer.format) || pointer.index == null) {
                throw new IndexException("not a Jingnei index nor an index pointer");
            }
            return pointer;
        } catch (IOException e) {
            throw new IndexException("the index pointer is not valid JSON: " + e.getMessage());
        }
    }

    /** The pointer at {@code uri}, or null when the object there is an index itself. Blocking: call on a worker. */
    public static IndexPointer read(StoredStream stream) throws IOException {
        InputStream in = stream.in.markSupported() ? stream.in : new BufferedInputStream(stream.in);
        in.mark(1);
        int first = in.read();
        if (first != '{') {
            return null;
        }
        byte[] rest = in.readNBytes(MAX_POINTER_BYTES);
        byte[] all = new byte[rest.length + 1];
        all[0] = '{';
        System.arraycopy(rest, 0, all, 1, rest.length);
        return parse(all);
    }

    /**
     * The served index as a stream: the object at {@code uri} when it is an index, or the version its
     * pointer names. The stream carries the object's ETag at {@code uri} (the pointer's), which
     * changes whenever a build or a rollback moves it. {@code worker} reads the pointer (blocking).
     */
    public static CompletableFuture<StoredStream> open(ObjectStore store, URI uri, Executor worker) {
        return store.open(uri).thenApplyAsync(stream -> {
            BufferedInputStream in = new BufferedInputStream(stream.in);
            StoredStream buffered = new StoredStream(in, stream.etag, stream.length, stream.retried);
            try {
                IndexPointer pointer = read(buffered);
                if (pointer == null) {
                    in.reset();
                    return CompletableFuture.completedFuture(buffered);
                }
                stream.close();
                return store.open(resolve(uri, pointer.index)).thenApply(target -> {
                    List<String> retried = new ArrayList<>(stream.retried);
                    retried.addAll(target.retried);
                    return new StoredStream(target.in, stream.etag, target.length, retried);
                });
            } catch (IOException e) {
                closeQuietly(stream);
                throw new UncheckedIOException(e.getMessage(), e);
            } catch (RuntimeException e) {
                closeQuietly(stream);
                throw e;
            }
        }, worker).thenCompose(f -> f);
    }

    /** The pointer at {@code uri}: null when there is no object or it is an index itself. Blocking. */
    public static IndexPointer current(ObjectStore store, URI uri) {
        try (StoredStream stream = store.open(uri).join()) {
            return read(stream);
        } catch (java.util.concurrent.CompletionException e) {
            JingneiException why = JingneiException.from(e);
            if (why.kind() == io.jingnei.core.error.ErrorKind.NOT_FOUND) {
                return null;
            }
            throw why;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static void closeQuietly(StoredStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // the stream is given up either way
        }
    }
}
