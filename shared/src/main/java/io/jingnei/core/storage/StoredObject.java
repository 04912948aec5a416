package io.jingnei.core.storage;

/** An object's bytes and the ETag they were read at. */
public final class StoredObject {
    public final byte[] bytes;
    public final String etag;

    public StoredObject(byte[] bytes, String etag) {
        this.bytes = bytes;
        this.etag = etag;
    }
}
