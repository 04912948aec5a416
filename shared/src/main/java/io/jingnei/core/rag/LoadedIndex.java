package io.jingnei.core.rag;

import io.jingnei.core.index.HybridIndex;

/** An index with the version it was read at. */
final class LoadedIndex {
    final HybridIndex index;
    final String etag;

    LoadedIndex(HybridIndex index, String etag) {
        this.index = index;
        this.etag = etag;
    }
}
