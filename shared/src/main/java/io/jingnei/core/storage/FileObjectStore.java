package io.jingnei.core.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code file://} URIs: the embedded default and local development. Calls complete before they return. */
public final class FileObjectStore implements ObjectStore {

    @Override
    public CompletableFuture<StoredObject> get(URI uri) {
        return call(uri, () -> {
            Path path = path(uri);
            return new StoredObject(Files.readAllBytes(path), etagOf(path));
        });
    }

    @Override
    public CompletableFuture<byte[]> getRange(URI uri, long offset, long length) {
        return call(uri, () -> {
            try (FileChannel channel = FileChannel.open(path(uri), StandardOpenOption.READ)) {
                long size = channel.size();
                int n = (int) Math.max(0, Math.min(length, size - offset));
                ByteBuffer buffer = ByteBuffer.allocate(n);
                while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                    // keep reading until the range is filled
                }
                return buffer.array();
            }
        });
    }

    @Override
    public CompletableFuture<String> etag(URI uri) {
        return call(uri, () -> etagOf(path(uri)));
    }

    @Override
    public CompletableFuture<Void> put(URI uri, byte[] bytes, String contentType) {
        return call(uri, () -> {
            Path path = path(uri);
            Path parent = path.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            // Write beside, then move: a reader polling the ETag never sees half an object.
            Path temp = Files.createTempFile(parent, ".jingnei-", ".part");
            Files.write(temp, bytes);
            Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return null;
        });
    }

    @Override
    public CompletableFuture<Boolean> putIfAbsent(URI uri, byte[] bytes, String contentType) {
        return call(uri, () -> {
            Path path = path(uri);
            Path parent = path.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temp = Files.createTempFile(parent, ".jingnei-", ".part");
            try {
                Files.write(temp, bytes);
                // A hard link is created whole or not at all, and never over an existing name.
                Files.createLink(path, temp);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                return false;
            } finally {
                Files.deleteIfExists(temp);
            }
        });
    }

    @Override
    public CompletableFuture<Void> delete(URI uri) {
        return call(uri, () -> {
            Files.deleteIfExists(path(uri));
            return null;
        });
    }

    @Override
    public CompletableFuture<List<URI>> list(URI prefix) {
        return call(prefix, () -> {
            Path root = path(prefix);
            if (Files.isRegularFile(root)) {
                return List.of(root.toUri());
            }
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(Files::isRegularFile).sorted().map(Path::toUri).collect(Collectors.toList());
            }
        });
    }

    @Override
    public CompletableFuture<StoredStream> open(URI uri) {
        return call(uri, () -> {
            Path path = path(uri);
            return new StoredStream(Files.newInputStream(path), etagOf(path), Files.size(path));
        });
    }

    static Path path(URI uri) {
        if (uri.getScheme() == null) {
            return Paths.get(uri.getPath());
        }
        if (uri.getAuthority() != null && !uri.getAuthority().isEmpty()) {
            // file://relative/dir is a common slip for file:///relative/dir; read it as relative.
            return Paths.get(uri.getAuthority() + uri.getPath());
        }
        return Paths.get(uri);
    }

    private static String etagOf(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return Long.toHexString(attributes.lastModifiedTime().toMillis()) + "-" + Long.toHexString(attributes.size());
    }

    private interface IoCall<T> {
        T run() throws IOException;
    }

    private static <T> CompletableFuture<T> call(URI uri, IoCall<T> call) {
        try {
            return CompletableFuture.completedFuture(call.run());
        } catch (NoSuchFileException e) {
            return CompletableFuture.failedFuture(new ObjectStoreException(ObjectStoreException.Reason.NOT_FOUND, uri, "no such file",
                    false, e));
        } catch (AccessDeniedException e) {
            return CompletableFuture.failedFuture(new ObjectStoreException(ObjectStoreException.Reason.ACCESS_DENIED, uri, "permission denied",
                    false, e));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(new ObjectStoreException(ObjectStoreException.Reason.UNAVAILABLE, uri,
                    "cannot read or write: " + e.getClass().getSimpleName(), false, e));
        }
    }
}
