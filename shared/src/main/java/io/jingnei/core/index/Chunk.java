package io.jingnei.core.index;

/** One indexed piece of a source document. {@code metadataJson} is a JSON object, "{}" when empty. */
public final class Chunk {
    public final String docId;
    public final int chunkNo;
    public final String text;
    public final String metadataJson;

    public Chunk(String docId, int chunkNo, String text, String metadataJson) {
        this.docId = docId;
        this.chunkNo = chunkNo;
        this.text = text;
        this.metadataJson = metadataJson == null || metadataJson.isEmpty() ? "{}" : metadataJson;
    }
}
