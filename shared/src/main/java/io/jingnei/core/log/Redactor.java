package io.jingnei.core.log;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The one redaction step for text that reaches a client or a log from outside our control (an
 * upstream's error message, a stream's error event) or that may quote a request (the log line).
 * Removes every configured secret, also when only a part of it is echoed: any run of 8 or more of its
 * characters, its start ("Incorrect API key provided: sk-abcdefgh****") as well as its tail (the secret
 * half of an {@code id.secret} key); and anything shaped like a credential. Always redact first,
 * then truncate: truncating first can cut a key so that it no longer matches and leak its start.
 */
public final class Redactor {
    public static final String MASK = "***";
    private static final Redactor PATTERNS_ONLY = new Redactor(List.of());

    private final List<String> secrets;
    private final SecretWindows windows;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
        this.windows = new SecretWindows(secrets);
    }

    /** @param secrets every configured secret (keys, passwords); blanks and very short values are ignored */
    public static Redactor of(Collection<String> secrets) {
        List<String> kept = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && secret.trim().length() >= 6 && !kept.contains(secret.trim())) {
                kept.add(secret.trim());
            }
        }
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
        return CredentialShapes.mask(withoutSecrets(text), MASK);
    }

    /** Redacts, then cuts to at most {@code max} characters (plus an ellipsis). */
    public String redactAndTruncate(String text, int max) {
        String clean = redact(text);
        return clean == null || clean.length() <= max ? clean : clean.substring(0, max) + "…";
    }

    /** Every run of at least {@value SecretWindows#WINDOW} characters of a secret (a whole short secret) becomes one mask. */
    private String withoutSecrets(String text) {
        if (windows.isEmpty()) {
            return text;
        }
        List<int[]> spans = windows.find(text);
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        for (int[] span : spans) {
            out.append(text, copied, span[0]).append(MASK);
            copied = span[1];
        }
        return out.append(text, copied, text.length()).toString();
    }
}
