package io.jingnei.core.rag;

import io.jingnei.core.index.VectorIndex;

/** An index with the version it was read at. */
final class LoadedIndex {
    final VectorIndex index;
    final String etag;

    LoadedIndex(VectorIndex index, String etag) {
        this.index = index;
        this.etag = etag;
    }
}
