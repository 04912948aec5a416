package io.jingnei.core.text;

import java.util.function.LongConsumer;

/**
 * Cuts text into the terms the lexical index counts, each a 64-bit key (no strings are kept per
 * term: a 100k-chunk index holds millions of them). Index and query must be cut by the same
 * splitter; the index file records its {@link #id()}. Implementations are stateless and
 * thread-safe.
 */
public interface TermSplitter {
    /** Written into the index; a file cut by another splitter is re-cut at load time. */
    int id();

    void terms(String text, LongConsumer out);
}
