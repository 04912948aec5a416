package io.jingnei.core.documents;

import java.util.List;

/**
 * Reads one file format into documents. Blocking CPU work: call on a worker thread. A file that
 * cannot be read throws {@link UnreadableFileException} with the reason; an implementation never
 * lets a parser's own exception out.
 */
public interface FormatReader {
    List<SourceDocument> read(FileInput file) throws UnreadableFileException;
}
