package io.jingnei.core.index;

/** A search result: the chunk's position in the index and its similarity (cosine for normalised vectors). */
public final class Hit {
    public final int position;
    public final float score;

    public Hit(int position, float score) {
        this.position = position;
        this.score = score;
    }
}
