package io.jingnei.core.auth;

import io.jingnei.core.config.Env;

import java.util.Optional;

/**
 * The address the web function listens on. An instance that serves anonymous callers only because
 * nothing was configured (no client keys, no JWT key, not on FC or SCF) listens on loopback: a
 * container or VM started without settings would otherwise relay anyone's prompts on the
 * operator's LLM key. {@code JINGNEI_HTTP_HOST} (or Quarkus' own {@code QUARKUS_HTTP_HOST}, which
 * wins over this) says otherwise; so does {@code JINGNEI_AUTH=none}. On FC and SCF, and with
 * credentials configured, every interface: the platforms connect from outside.
 */
public final class ListenHost {
    public static final String LOOPBACK = "127.0.0.1";
    public static final String EVERY_INTERFACE = "0.0.0.0";

    private ListenHost() {
    }

    public static String choose(Env env) {
        return env.get("JINGNEI_HTTP_HOST").orElse(Authenticator.openByDefault(env) ? LOOPBACK : EVERY_INTERFACE);
    }

    /** The web function's start-up line for an instance open only for want of settings, given where it really listens. */
    public static Optional<String> startupNote(Env env, String actualHost) {
        if (!Authenticator.openByDefault(env)) {
            return Optional.empty();
        }
        if (LOOPBACK.equals(actualHost) || "localhost".equals(actualHost)) {
            return Optional.of("no credentials configured: anonymous callers are served, on " + LOOPBACK + " only; set JINGNEI_CLIENT_KEYS "
                    + "or a JWT key (or JINGNEI_HTTP_HOST, or JINGNEI_AUTH=none behind a gateway) to serve other machines");
        }
        return Optional.of("no credentials configured: anonymous callers are served on " + actualHost
                + ", from any machine that reaches it (set JINGNEI_CLIENT_KEYS or a JWT key)");
    }
}
