package io.jingnei.core.storage;

import io.jingnei.core.error.JingneiException;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The object store as request bodies and events may use it: every URI is checked against the
 * allow-list before any request goes out (so nothing outside it is read, written or even looked
 * up), and listings return only what lies inside it.
 */
public final class GuardedStore implements ObjectStore {
    private final ObjectStore store;
    private final StorageAllowList allowList;

    public GuardedStore(ObjectStore store, StorageAllowList allowList) {
        this.store = store;
        this.allowList = allowList;
    }

    public StorageAllowList allowList() {
        return allowList;
    }

    @Override
    public CompletableFuture<StoredObject> get(URI uri) {
        return checked(uri, StorageAllowList.Access.READ).thenCompose(ok -> store.get(uri));
    }

    @Override
    public CompletableFuture<byte[]> getRange(URI uri, long offset, long length) {
        return checked(uri, StorageAllowList.Access.READ).thenCompose(ok -> store.getRange(uri, offset, length));
    }

    @Override
    public CompletableFuture<String> etag(URI uri) {
        return checked(uri, StorageAllowList.Access.READ).thenCompose(ok -> store.etag(uri));
    }

    @Override
    public CompletableFuture<Void> put(URI uri, byte[] bytes, String contentType) {
        return checked(uri, StorageAllowList.Access.WRITE).thenCompose(ok -> store.put(uri, bytes, contentType));
    }

    @Override
    public CompletableFuture<Boolean> putIfAbsent(URI uri, byte[] bytes, String contentType) {
        return checked(uri, StorageAllowList.Access.WRITE).thenCompose(ok -> store.putIfAbsent(uri, bytes, contentType));
    }

    @Override
    public CompletableFuture<Void> delete(URI uri) {
        return checked(uri, StorageAllowList.Access.WRITE).thenCompose(ok -> store.delete(uri));
    }

    @Override
    public CompletableFuture<List<URI>> list(URI prefix) {
        return checked(prefix, StorageAllowList.Access.READ).thenCompose(ok -> store.list(prefix)).thenApply(found -> {
            List<URI> inside = new ArrayList<>();
            for (URI uri : found) {
                if (allowList.allows(uri, StorageAllowList.Access.READ)) {
                    inside.add(uri);
                }
            }
            return inside;
        });
    }

    @Override
    public CompletableFuture<StoredStream> open(URI uri) {
        return checked(uri, StorageAllowList.Access.READ).thenCompose(ok -> store.open(uri));
    }

    private CompletableFuture<Void> checked(URI uri, StorageAllowList.Access access) {
        try {
            allowList.check(StorageUris.canonical(uri, uri.toString()), access);
            return CompletableFuture.completedFuture(null);
        } catch (JingneiException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }
}
