package io.jingnei.core.storage;

import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.config.Settings;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Where URIs from request bodies and events may point. {@code JINGNEI_STORAGE_ALLOW} lists
 * prefixes ({@code oss://kb-bucket/,oss://faq/faq-batch/,file:///srv/kb/}; an {@code r:} in front
 * makes one read-only). By default: the folder of {@code JINGNEI_INDEX_URI} (read) and
 * {@code JINGNEI_FAQ_BASE_URI} (read and write); with {@code JINGNEI_KB_URI}, that knowledge base (read)
 * and the index object with its versions (write), for the builds the platform's events start. {@code file://} only when listed explicitly, and
 * then by real path: a symbolic link inside an allowed folder that leads outside is refused. A URI
 * outside the list is {@code forbidden} before any storage call, so the answer never tells whether
 * the object exists.
 */
public final class StorageAllowList {
    public enum Access { READ, WRITE }

    private static final class Entry {
        final String prefix;
        final boolean writable;

        Entry(String prefix, boolean writable) {
            this.prefix = prefix;
            this.writable = writable;
        }
    }

    private final List<Entry> entries;

    private StorageAllowList(List<Entry> entries) {
        this.entries = entries;
    }

    public static StorageAllowList from(Env env) {
        List<Entry> entries = new ArrayList<>();
        for (String item : Settings.list(env, "JINGNEI_STORAGE_ALLOW")) {
            boolean readOnly = item.startsWith("r:");
            entries.add(new Entry(prefix(item.substring(readOnly ? 2 : 0), "JINGNEI_STORAGE_ALLOW"), !readOnly));
        }
        Optional<String> index = env.get("JINGNEI_INDEX_URI");
        if (index.isPresent() && !index.get().trim().startsWith("file:")) {
            String p = prefix(index.get(), "JINGNEI_INDEX_URI");
            entries.add(new Entry(p.substring(0, p.lastIndexOf('/', p.length() - 2) + 1), false));
        }
        Optional<String> kb = env.get("JINGNEI_KB_URI");
        if (kb.isPresent() && index.isPresent() && !index.get().trim().startsWith("file:")) {
            // The build the events start: read the knowledge base, write the index's pointer and versions (nothing else beside it).
            entries.add(new Entry(prefix(kb.get(), "JINGNEI_KB_URI"), false));
            String pointer = prefix(index.get(), "JINGNEI_INDEX_URI");
            entries.add(new Entry(pointer, true));
            entries.add(new Entry(pointer + ".versions/", true));
        }
        Optional<String> faq = env.get("JINGNEI_FAQ_BASE_URI");
        if (faq.isPresent() && !faq.get().trim().startsWith("file:")) {
            String base = faq.get().trim();
            entries.add(new Entry(prefix(base.endsWith("/") ? base : base + "/", "JINGNEI_FAQ_BASE_URI"), true));
        }
        return new StorageAllowList(Collections.unmodifiableList(entries));
    }

    /** Canonical prefix text; a prefix names a folder (it ends with '/') or exactly one object. */
    private static String prefix(String text, String setting) {
        try {
            return StorageUris.parse(text).toString();
        } catch (JingneiException e) {
            throw new ConfigException(setting + ": " + e.getMessage());
        }
    }

    /** For a {@code file://} URI, its real path must lie inside too ({@link RealPaths}: symbolic links followed). */
    public boolean allows(URI uri, Access access) {
        String text = uri.toString();
        for (Entry entry : entries) {
            boolean inside = entry.prefix.endsWith("/") ? text.startsWith(entry.prefix)
                    : text.equals(entry.prefix) || text.startsWith(entry.prefix + "/");
            if (inside && (access == Access.READ || entry.writable)
                    && (!"file".equals(uri.getScheme()) || RealPaths.inside(uri, entry.prefix))) {
                return true;
            }
        }
        return false;
    }

    /** Throws {@code forbidden} naming the setting; never says whether the object exists. */
    public void check(URI uri, Access access) {
        if (!allows(uri, access)) {
            throw new JingneiException(ErrorKind.FORBIDDEN, (access == Access.WRITE ? "writing " : "reading ") + uri
                    + " is not allowed: it is outside the storage allow-list (JINGNEI_STORAGE_ALLOW"
                    + (access == Access.WRITE ? ", and read-only entries do not allow writes" : "")
                    + ("file".equals(uri.getScheme()) ? "; file paths are compared after following symbolic links" : "") + ")");
        }
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
