package io.jingnei.core.llm;

import java.util.regex.Pattern;

/** Scrubs credentials from text that may reach a log or a caller, such as an upstream's error message. */
public final class Secrets {
    // Upstreams echo keys back ("Incorrect API key provided: sk-abc..."), in full or in part.
    private static final Pattern KEY_LIKE = Pattern.compile("\\b(sk|ak|key)-[A-Za-z0-9_\\-*.]{4,}");

    private Secrets() {
    }

    public static String redact(String text, String secret) {
        if (text == null) {
            return null;
        }
        String out = text;
        if (secret != null && !secret.isEmpty()) {
            out = out.replace(secret, "***");
        }
        return KEY_LIKE.matcher(out).replaceAll("***");
    }
}
