package io.jingnei.core.documents;

import java.util.Optional;

/**
 * The readers by extension. Each is created when a file of its format is met, so an instance that
 * never builds an index never loads PDFBox, POI or jsoup (cold start of chat and rag-query).
 */
public final class DocumentFormats {
    public static final String SUPPORTED = ".pdf .docx .xlsx .html .htm .jsonl .csv .md .markdown .txt";

    private DocumentFormats() {
    }

    /** Whether this path names a file of a supported format (a path that does not is read as a folder). */
    public static boolean known(String path) {
        String extension = FileInput.extension(path);
        return !extension.isEmpty() && (" " + SUPPORTED + " ").contains(" " + extension + " ");
    }

    /** The reader for this path's extension, or empty for an unknown one. */
    public static Optional<FormatReader> forPath(String path) {
        switch (FileInput.extension(path)) {
            case ".pdf": return Optional.of(new PdfFormat());
            case ".docx": return Optional.of(new DocxFormat());
            case ".xlsx": return Optional.of(new XlsxFormat());
            case ".html": case ".htm": return Optional.of(new HtmlFormat());
            case ".jsonl": return Optional.of(new JsonlFormat());
            case ".csv": return Optional.of(new CsvFormat());
            case ".md": case ".markdown": return Optional.of(new MarkdownFormat());
            case ".txt": return Optional.of(new TextFormat());
            default: return Optional.empty();
        }
    }
}
