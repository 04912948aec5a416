package io.jingnei.core.documents;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One file of a knowledge base: its name relative to the folder read (the document id), where it is, its bytes. */
public final class FileInput {
    public final String name;
    public final URI uri;
    public final byte[] bytes;

    public FileInput(String name, URI uri, byte[] bytes) {
        this.name = name;
        this.uri = uri;
        this.bytes = bytes;
    }

    /** The last path segment: what a source shows ("退换货政策.pdf"). */
    public String fileName() {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    /** The file name without its extension: the title of a document that names none. */
    public String stem() {
        String file = fileName();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    /** The bytes as UTF-8 text, without Excel's byte-order mark. */
    public String text() {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** The extension, lower case, with its dot ("" when none). */
    public static String extension(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int dot = file.lastIndexOf('.');
        return dot < 0 ? "" : file.substring(dot).toLowerCase(Locale.ROOT);
    }
}
