package io.jingnei.core.log;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The one redaction step for text that reaches a client or a log from outside our control (an
 * upstream's error message, a stream's error event) or that may quote a request (the log line).
 * Removes every configured secret, also when only its first characters are echoed ("Incorrect API
 * key provided: sk-abcdefgh****"), and anything shaped like a credential. Always redact first,
 * then truncate: truncating first can cut a key so that it no longer matches and leak its start.
 */
public final class Redactor {
    public static final String MASK = "***";
    /** Echoed key prefixes shorter than this are not worth hunting: too many false positives. */
    private static final int MIN_PREFIX = 8;
    private static final Redactor PATTERNS_ONLY = new Redactor(List.of());

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    /** @param secrets every configured secret (keys, passwords); blanks and very short values are ignored */
    public static Redactor of(Collection<String> secrets) {
        List<String> kept = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && secret.trim().length() >= 6 && !kept.contains(secret.trim())) {
                kept.add(secret.trim());
            }
        }
        kept.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(List.copyOf(kept));
    }

    /** Knows no secret of ours, only the shapes of credentials. */
    public static Redactor patternsOnly() {
        return PATTERNS_ONLY;
    }

    /** A redactor that also knows {@code more} secrets. */
    public Redactor with(Collection<String> more) {
        List<String> all = new ArrayList<>(secrets);
        all.addAll(more);
        return of(all);
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : secrets) {
            out = removePrefixesOf(secret, out);
        }
        return CredentialShapes.mask(out, MASK);
    }

    /** Redacts, then cuts to at most {@code max} characters (plus an ellipsis). */
    public String redactAndTruncate(String text, int max) {
        String clean = redact(text);
        return clean == null || clean.length() <= max ? clean : clean.substring(0, max) + "…";
    }

    /** Replaces the secret and any run of at least MIN_PREFIX of its leading characters. */
    private static String removePrefixesOf(String secret, String text) {
        String head = secret.substring(0, Math.min(MIN_PREFIX, secret.length()));
        int at = text.indexOf(head);
        if (at < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        while (at >= 0) {
            int end = at + head.length();
            while (end < text.length() && end - at < secret.length() && text.charAt(end) == secret.charAt(end - at)) {
                end++;
            }
            out.append(text, from, at).append(MASK);
            from = end;
            at = text.indexOf(head, end);
        }
        return out.append(text, from, text.length()).toString();
    }
}
