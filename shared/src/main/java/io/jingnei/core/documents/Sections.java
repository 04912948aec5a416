package io.jingnei.core.documents;

import java.util.ArrayList;
import java.util.List;

/** Collects a file's text into sections, a new one at each heading; a heading with no text under it is dropped. */
final class Sections {
    private final FileInput file;
    private final List<SourceDocument.Section> done = new ArrayList<>();
    private String title;
    private final StringBuilder text = new StringBuilder();

    Sections(FileInput file, String firstTitle) {
        this.file = file;
        this.title = firstTitle;
    }

    void heading(String heading) {
        close();
        title = heading;
    }

    Sections append(String more) {
        text.append(more);
        return this;
    }

    /** The file as one document of these sections, or none when it held no text. */
    List<SourceDocument> document() {
        close();
        return done.isEmpty() ? List.of() : List.of(new SourceDocument(file.name, Cite.fileMetadata(file), done));
    }

    private void close() {
        String body = text.toString().replaceAll("[ \\t\\u00A0]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").trim();
        if (!body.isEmpty()) {
            done.add(new SourceDocument.Section(title, body, Cite.metadata(Cite.of(file, title))));
        }
        text.setLength(0);
    }
}
