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
        quietPoiLogging();
        ZipSecureFile.setMinInflateRatio(MIN_INFLATE_RATIO);
        ZipSecureFile.setMaxEntrySize(MAX_ENTRY_BYTES);
    }

    /**
     * POI logs through the Log4j API; with no Log4j provider on the class path, the API prints a
     * plain-text complaint to stderr, which breaks the one-JSON-object-per-line log. Its simple
     * provider, turned off, keeps POI silent (its failures reach us as exceptions anyway) unless
     * the deployment chose a provider of its own.
     */
    private static void quietPoiLogging() {
        if (System.getProperty("log4j.provider") == null && System.getProperty("log4j2.loggerContextFactory") == null) {
            System.setProperty("log4j.provider", "org.apache.logging.log4j.simple.internal.SimpleProvider");
            System.setProperty("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
            System.setProperty("org.apache.logging.log4j.level", "OFF");
        }
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
