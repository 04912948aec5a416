package io.jingnei.core.storage;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Object URIs as callers write them, made into one canonical form before anything is checked or
 * read: {@code scheme://bucket/key} for s3/oss/cos, {@code file:///absolute/path} for files. Anything
 * that could make a prefix check lie is refused: dot segments (also percent-encoded), backslashes,
 * NULs, encoded slashes, user info, ports, queries and fragments.
 */
public final class StorageUris {
    private static final Pattern ENCODED_TRICKS = Pattern.compile("%(2e|2f|5c|00)", Pattern.CASE_INSENSITIVE);
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.\\-]{1,62}");

    private StorageUris() {
    }

    /** A URI from a request or an event; {@code invalid_request} (400) when it is malformed or tricky. */
    public static URI parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid("an object URI is required");
        }
        String raw = text.trim();
        if (raw.length() > 2048) {
            throw invalid("the object URI is longer than 2048 characters");
        }
        if (raw.indexOf('\\') >= 0 || raw.indexOf('\0') >= 0 || ENCODED_TRICKS.matcher(raw).find()) {
            throw invalid("the object URI " + shown(raw) + " contains a backslash, a NUL or an encoded dot or slash");
        }
        URI uri;
        try {
            if (!raw.contains("://") && !raw.startsWith("file:")) {
                // A bare path: a developer's local file. Checked for dot segments like any URI.
                uri = new URI("file", "", Paths.get(raw).isAbsolute() ? raw : Paths.get(raw).toAbsolutePath().toString(), null);
            } else {
                uri = new URI(raw.replace(" ", "%20"));
            }
        } catch (URISyntaxException | RuntimeException e) {
            throw invalid("the object URI " + shown(raw) + " is not a valid URI");
        }
        return canonical(uri, raw);
    }

    static URI canonical(URI uri, String raw) {
        String scheme = uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null || uri.getPort() != -1) {
            throw invalid("the object URI " + shown(raw) + " must not have a query, fragment, user or port");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw invalid("the object URI " + shown(raw) + " has a '.' or '..' segment");
            }
        }
        try {
            switch (scheme) {
                case "file":
                    if (uri.getAuthority() != null && !uri.getAuthority().isEmpty()) {
                        throw invalid("file URIs are file:///absolute/path, got " + shown(raw));
                    }
                    if (!path.startsWith("/")) {
                        throw invalid("file URIs need an absolute path, got " + shown(raw));
                    }
                    return new URI("file", "", path, null);
                case "s3":
                case "oss":
                case "cos":
                    String bucket = uri.getHost() == null ? uri.getAuthority() : uri.getHost();
                    if (bucket == null || !BUCKET.matcher(bucket.toLowerCase(Locale.ROOT)).matches()) {
                        throw invalid("the object URI " + shown(raw) + " needs a bucket: " + scheme + "://bucket/key");
                    }
                    return new URI(scheme, bucket.toLowerCase(Locale.ROOT), path.isEmpty() ? "/" : path, null);
                default:
                    throw invalid("unsupported scheme '" + scheme + "' in " + shown(raw) + "; use oss://, cos://, s3:// or file://");
            }
        } catch (URISyntaxException e) {
            throw invalid("the object URI " + shown(raw) + " is not a valid URI");
        }
    }

    /** The caller's own text, cut short: it may be long or odd, and it goes into a message. */
    private static String shown(String raw) {
        String cut = raw.length() > 120 ? raw.substring(0, 120) + "…" : raw;
        return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    private static JingneiException invalid(String message) {
        return new JingneiException(ErrorKind.INVALID_REQUEST, message);
    }
}
