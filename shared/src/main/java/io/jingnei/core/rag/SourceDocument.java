package io.jingnei.core.rag;

/** A knowledge-base document before chunking. */
public final class SourceDocument {
    public final String id;
    public final String content;
    public final String metadataJson;

    public SourceDocument(String id, String content, String metadataJson) {
        this.id = id;
        this.content = content;
        this.metadataJson = metadataJson == null ? "{}" : metadataJson;
    }
}
