package io.jingnei.web;

import io.jingnei.core.storage.Credentials;
import io.vertx.core.http.HttpServerRequest;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The FC custom runtime hands the function role's temporary credentials to every /initialize and
 * /invoke request as x-fc-* headers; the newest are kept for object-storage requests.
 */
final class PlatformCredentials {
    private static final AtomicReference<Credentials> LATEST = new AtomicReference<>();

    private PlatformCredentials() {
    }

    static void remember(HttpServerRequest request) {
        String id = request.getHeader("x-fc-access-key-id");
        String secret = request.getHeader("x-fc-access-key-secret");
        if (id != null && !id.isEmpty() && secret != null) {
            LATEST.set(new Credentials(id, secret, request.getHeader("x-fc-security-token")));
        }
    }

    static Optional<Credentials> latest() {
        return Optional.ofNullable(LATEST.get());
    }
}
