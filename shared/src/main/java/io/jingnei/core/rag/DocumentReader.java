package io.jingnei.core.rag;

import io.jingnei.core.documents.DocumentFormats;
import io.jingnei.core.documents.FileInput;
import io.jingnei.core.documents.FormatReader;
import io.jingnei.core.documents.SourceDocument;
import io.jingnei.core.documents.UnreadableFileException;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.storage.StoredStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a knowledge base: one file, or a folder (every object under the prefix) of mixed files as
 * they are: PDF, DOCX, XLSX, HTML, JSONL, CSV, Markdown, text ({@link DocumentFormats}). A file that
 * cannot be read is skipped with its reason and the rest are read; a storage failure stops the read
 * (a file left out because of one would look deleted to an incremental rebuild). Blocking: call on
 * a worker thread.
 */
public final class DocumentReader {
    private final ObjectStore store;
    private final long maxFileBytes;

    public DocumentReader(ObjectStore store, long maxFileBytes) {
        this.store = store;
        this.maxFileBytes = maxFileBytes;
    }

    /** What one file gave: its documents, or the reason it was skipped. */
    public static final class FileDocuments {
        public final String name;
        public final List<SourceDocument> documents;
        /** Null when read. */
        public final String skipped;

        FileDocuments(String name, List<SourceDocument> documents, String skipped) {
            this.name = name;
            this.documents = documents;
            this.skipped = skipped;
        }
    }

    public List<FileDocuments> read(URI input) {
        String path = input.getPath() == null ? "" : input.getPath();
        if (!path.endsWith("/") && DocumentFormats.known(path)) {
            return List.of(readOne(input, path.substring(path.lastIndexOf('/') + 1)));
        }
        List<FileDocuments> files = new ArrayList<>();
        for (URI uri : IndexBuilder.join(store.list(input))) {
            files.add(readOne(uri, relativeName(input, uri)));
        }
        if (files.isEmpty()) {
            // Bad knowledge-base input is the caller's to fix: a 400 that names it.
            throw new JingneiException(ErrorKind.INVALID_REQUEST, input + " holds no documents: no .jsonl, .csv, .md, .txt, .pdf, .docx, .xlsx or .html files");
        }
        return files;
    }

    private FileDocuments readOne(URI uri, String name) {
        Optional<FormatReader> format = DocumentFormats.forPath(name);
        if (format.isEmpty()) {
            String extension = FileInput.extension(name);
            return skipped(name, "unknown extension " + (extension.isEmpty() ? "(none)" : extension) + "; supported: " + DocumentFormats.SUPPORTED);
        }
        byte[] bytes;
        try (StoredStream stream = IndexBuilder.join(store.open(uri))) {
            if (stream.length > maxFileBytes) {
                return skipped(name, tooLarge(stream.length));
            }
            bytes = stream.in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxFileBytes + 1));
            if (bytes.length > maxFileBytes) {
                return skipped(name, tooLarge(bytes.length));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + uri + " broke off: " + e.getMessage(), e);
        }
        try {
            List<SourceDocument> documents = format.get().read(new FileInput(name, uri, bytes));
            return documents.isEmpty() ? skipped(name, "no text") : new FileDocuments(name, documents, null);
        } catch (UnreadableFileException e) {
            return skipped(name, e.getMessage());
        }
    }

    private String tooLarge(long bytes) {
        return "file too large: " + (bytes > maxFileBytes + 1 ? bytes + " bytes" : "over " + maxFileBytes + " bytes")
                + ", over JINGNEI_INDEX_MAX_FILE_BYTES (" + maxFileBytes + ")";
    }

    private static FileDocuments skipped(String name, String reason) {
        return new FileDocuments(name, List.of(), reason);
    }

    private static String relativeName(URI root, URI file) {
        String rootPath = root.getPath() == null ? "" : root.getPath();
        String filePath = file.getPath();
        return filePath.startsWith(rootPath) ? filePath.substring(rootPath.length()).replaceFirst("^/", "")
                : filePath.substring(filePath.lastIndexOf('/') + 1);
    }
}
