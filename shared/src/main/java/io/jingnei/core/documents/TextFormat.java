package io.jingnei.core.documents;

import java.util.List;

/** A text file: one document, its id the file's name. */
final class TextFormat implements FormatReader {
    @Override
    public List<SourceDocument> read(FileInput file) {
        String cite = Cite.of(file, "");
        return List.of(new SourceDocument(file.name, Cite.fileMetadata(file),
                List.of(new SourceDocument.Section("", file.text(), Cite.metadata(cite)))));
    }
}
