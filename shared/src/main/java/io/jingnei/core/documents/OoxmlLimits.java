package io.jingnei.core.documents;

import org.apache.poi.openxml4j.util.ZipSecureFile;

/**
 * Bounds on what a DOCX/XLSX (a zip) may expand to, so a zip bomb is refused instead of filling the
 * instance's memory: each entry may inflate at most 100 times its compressed size (POI's own default
 * ratio) and to at most {@link #MAX_ENTRY_BYTES}. POI keeps these in static fields: set before every
 * read, they hold for every reader of this class loader.
 */
final class OoxmlLimits {
    static final double MIN_INFLATE_RATIO = 0.01;
    static final long MAX_ENTRY_BYTES = 100L * 1024 * 1024;

    private OoxmlLimits() {
    }

    static void apply() {
        ZipSecureFile.setMinInflateRatio(MIN_INFLATE_RATIO);
        ZipSecureFile.setMaxEntrySize(MAX_ENTRY_BYTES);
    }

    /** The reason for a POI failure: a zip bomb is named as one. */
    static String reason(String format, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("Zip bomb") || message.contains("exceeds the max entry size") || message.contains("MaxEntrySize")) {
                return "zip bomb: the " + format + " expands beyond the allowed ratio or size (" + firstLine(message) + ")";
            }
        }
        return "corrupt or truncated " + format + ": " + firstLine(String.valueOf(e.getMessage()));
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        String line = end < 0 ? message : message.substring(0, end);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
