package io.jingnei.core.auth;

import io.jingnei.core.config.Env;
import io.jingnei.core.config.Platform;

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
}
